//! Indented JSON for people (`manjian ... --pretty`): the canonical text
//! re-indented, two spaces a level, as `serde_json`'s pretty printer
//! writes it. The canonical text has no whitespace outside strings, so
//! only string contents need care.

/// `compact` (canonical JSON) indented.
pub(crate) fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len().saturating_mul(2));
    let mut depth: usize = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    // Empty: `{}` and `[]` stay on one line.
                    out.push(close);
                    chars.next();
                } else {
                    depth = depth.saturating_add(1);
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_like_serde_json() {
        let text = r#"{"a":[1,{"b":"x,\"y\":[z]"},[],{}],"c":{"d":true},"满":"减"}"#;
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(indent(text), serde_json::to_string_pretty(&v).unwrap());
    }
}
