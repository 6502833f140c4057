//! The generator of the package's TypeScript types
//! (`src/doors/manjian.d.ts`) and the HTTP API's OpenAPI description
//! (`src/doors/openapi.json`) from the one source of every document's
//! shape, the engine's own declarations (`manjian::testing::shapes`).
//! `scripts/generate.sh` writes them; a test fails when a committed file
//! differs from what this writes.

use manjian::testing::{enums, shapes, unions, Enumeration, Limits, Member, Shape, Ty};
use serde_json::{json, Map, Value};

/// The scalar types: their names, their TypeScript types and what they
/// are (their OpenAPI schemas, these descriptions aside, are
/// `scalars.json`).
const SCALARS: &[(&str, &str, &str)] = &[
    ("Money", "string", "Money the engine writes: a decimal string with exactly the currency's scale of decimals, such as \"299.00\"."),
    ("MoneyInput", "string | number", "Money on input: a decimal string, or a number with at most the currency's decimals."),
    ("RateInput", "string | number", "A rate on input (the share still paid, 8.5折 = \"0.85\"): above 0 and at most 1, with at most 4 decimals."),
    ("Rate", "string", "A rate the engine writes, in shortest form (the share still paid: 8.5折 is \"0.85\")."),
    ("Timestamp", "string", "An RFC 3339 timestamp with an offset, e.g. \"2026-11-11T20:00:00+08:00\"."),
    ("Measure", "string | number", "A measure in kilograms on input: a decimal string, or a number, with at most 3 decimals, above 0 and at most 100000."),
    ("Region", "string", "A region: `/`-separated segments from the largest area to the smallest (`浙江/杭州/西湖`), none empty, at most 64 characters."),
    ("Id", "string", "An id (line, promotion, store, sku, category, tag, address): a non-empty string of at most 64 characters."),
    ("Quantity", "number", "A quantity of units: an integer from 1 to 99999."),
    ("Count", "number", "A count of units that may be none: an integer from 0 to 99999."),
    ("Currency", "string", "An ISO 4217 currency code; its scale is 0 for zero-decimal currencies (JPY, KRW, ...), else 2."),
    ("Digest", "string", "`sha256:` and the hex SHA-256 of the canonical quote without its digest: equal digests, equal quotes."),
];

/// The name of a scalar type in the types and the description.
fn scalar(ty: &Ty) -> Option<&'static str> {
    Some(match ty {
        Ty::Money => "Money",
        Ty::MoneyInput => "MoneyInput",
        Ty::RateInput => "RateInput",
        Ty::Rate => "Rate",
        Ty::Timestamp => "Timestamp",
        Ty::Measure => "Measure",
        Ty::Region => "Region",
        Ty::Id => "Id",
        Ty::Qty => "Quantity",
        Ty::Count => "Count",
        Ty::Currency => "Currency",
        Ty::Digest => "Digest",
        _ => return None,
    })
}

/// A doc comment at `indent`, wrapped before column 100.
fn comment(doc: &str, indent: &str) -> String {
    if doc.is_empty() {
        return String::new();
    }
    let one = format!("{indent}/** {doc} */\n");
    if one.chars().count() <= 100 {
        return one;
    }
    let mut out = format!("{indent}/**\n");
    let mut line = String::new();
    for word in doc.split(' ') {
        if !line.is_empty()
            && indent.len() + 3 + line.chars().count() + 1 + word.chars().count() > 100
        {
            out.push_str(&format!("{indent} * {line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&format!("{indent} * {line}\n{indent} */\n"));
    out
}

/// A type in TypeScript.
fn ts_type(ty: &Ty) -> String {
    if let Some(name) = scalar(ty) {
        return name.to_string();
    }
    match ty {
        Ty::Integer => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::Text => "string".into(),
        Ty::Enum(name) | Ty::Ref(name) => (*name).into(),
        Ty::Const(value) => format!("\"{value}\""),
        Ty::Array(item) => match **item {
            Ty::OneOf(_) => format!("({})[]", ts_type(item)),
            _ => format!("{}[]", ts_type(item)),
        },
        Ty::Map(item) => format!("Record<string, {}>", ts_type(item)),
        Ty::OneOf(tys) => tys.iter().map(ts_type).collect::<Vec<_>>().join(" | "),
        // TypeScript has no way to say these; the docs do.
        Ty::Limited(inner, _) => ts_type(inner),
        _ => "unknown".into(),
    }
}

fn ts_enum(e: &Enumeration) -> String {
    let values: Vec<String> = e.values.iter().map(|(v, _)| format!("\"{v}\"")).collect();
    let mut doc = e.doc.clone();
    for (v, d) in &e.values {
        doc.push_str(&format!(" `{v}`: {d}"));
    }
    format!(
        "{}export type {} = {};\n",
        comment(&doc, ""),
        e.name,
        values.join(" | ")
    )
}

fn ts_member(m: &Member) -> String {
    let opt = if m.required { "" } else { "?" };
    format!(
        "{}  {}{opt}: {};\n",
        comment(&m.doc, "  "),
        m.name,
        ts_type(&m.ty)
    )
}

fn ts_shape(s: &Shape) -> String {
    let base = if s.thrown { Some("Error") } else { s.extends };
    let extends = base.map(|b| format!(" extends {b}")).unwrap_or_default();
    let members: String = s.members.iter().map(ts_member).collect();
    format!(
        "{}export interface {}{extends} {{\n{members}}}\n",
        comment(&s.doc, ""),
        s.name
    )
}

/// The package's TypeScript types of every document.
pub fn typescript() -> String {
    let mut out = String::from(
        "// Generated by scripts/generate.sh from the engine's declarations of its documents\n\
         // (testkit/src/generate.rs); do not edit.\n\n",
    );
    for (name, ts, doc) in SCALARS {
        out.push_str(&format!("{}export type {name} = {ts};\n", comment(doc, "")));
    }
    out.push('\n');
    out.extend(enums().iter().map(ts_enum));
    out.push('\n');
    for s in shapes() {
        out.push_str(&ts_shape(&s));
    }
    for (name, doc, members) in unions() {
        out.push_str(&format!(
            "{}export type {name} = {};\n",
            comment(doc, ""),
            members.join(" | ")
        ));
    }
    out
}

/// A type's OpenAPI schema.
fn schema_of(ty: &Ty) -> Value {
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    if let Some(name) = scalar(ty) {
        return r(name);
    }
    match ty {
        Ty::Integer => json!({ "type": "integer" }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Text => json!({ "type": "string" }),
        Ty::Enum(name) | Ty::Ref(name) => r(name),
        Ty::Const(value) => json!({ "const": value }),
        Ty::Array(item) => json!({ "type": "array", "items": schema_of(item) }),
        Ty::Map(item) => json!({
            "type": "object",
            "propertyNames": r("Id"),
            "additionalProperties": schema_of(item),
        }),
        // Any one of them (`anyOf`: an integer is a quantity and a measure).
        Ty::OneOf(tys) => json!({ "anyOf": tys.iter().map(schema_of).collect::<Vec<_>>() }),
        Ty::Limited(inner, limits) => limited(schema_of(inner), limits),
        _ => json!({}),
    }
}

/// `schema` with the limits its reader enforces.
fn limited(mut schema: Value, limits: &Limits) -> Value {
    // An object's limits count its members.
    let object = schema["type"] == "object";
    let (min, max) = match object {
        true => ("minProperties", "maxProperties"),
        false => ("minItems", "maxItems"),
    };
    let keys = [
        (min, limits.min_items.map(|n| json!(n))),
        (max, limits.max_items.map(|n| json!(n))),
        ("uniqueItems", limits.unique.then(|| json!(true))),
        ("minimum", limits.minimum.map(|n| json!(n))),
        ("maximum", limits.maximum.map(|n| json!(n))),
    ];
    for (key, value) in keys {
        if let Some(value) = value {
            schema[key] = value;
        }
    }
    schema
}

/// A shape's members with those of the shape it extends (first, narrowed
/// by its own).
fn flattened<'a>(s: &'a Shape, all: &'a [Shape]) -> Vec<&'a Member> {
    let mut members: Vec<&Member> = Vec::new();
    if let Some(base) = s.extends.and_then(|b| all.iter().find(|x| x.name == b)) {
        members.extend(&base.members);
    }
    for m in &s.members {
        match members.iter_mut().find(|x| x.name == m.name) {
            Some(slot) => *slot = m,
            None => members.push(m),
        }
    }
    members
}

fn openapi_shape(s: &Shape, all: &[Shape]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for m in flattened(s, all) {
        let mut p = schema_of(&m.ty);
        if !m.doc.is_empty() {
            p["description"] = json!(m.doc);
        }
        properties.insert(m.name.into(), p);
        if m.required {
            required.push(m.name);
        }
    }
    let mut out = json!({ "type": "object", "description": s.doc, "properties": properties });
    if !required.is_empty() {
        out["required"] = json!(required);
    }
    // Exactly one of each group: one `oneOf` of "requires this member"
    // per group (all groups together under `allOf`).
    let groups: Vec<Value> = s
        .exactly_one
        .iter()
        .map(|g| json!({ "oneOf": g.iter().map(|m| json!({ "required": [m] })).collect::<Vec<_>>() }))
        .collect();
    match groups.len() {
        0 => {}
        1 => out["oneOf"] = groups[0]["oneOf"].clone(),
        _ => out["allOf"] = json!(groups),
    }
    out["additionalProperties"] = json!(false);
    out
}

fn openapi_union(members: &[&str], doc: &str, all: &[Shape]) -> Value {
    let r = |name: &str| format!("#/components/schemas/{name}");
    let mut mapping = Map::new();
    for name in members {
        let kind = all.iter().find(|s| s.name == *name).and_then(|s| {
            s.members.iter().find_map(|m| match (m.name, &m.ty) {
                ("kind", Ty::Const(k)) => Some(*k),
                _ => None,
            })
        });
        if let Some(kind) = kind {
            mapping.insert(kind.into(), json!(r(name)));
        }
    }
    let one_of: Vec<Value> = members.iter().map(|n| json!({ "$ref": r(n) })).collect();
    json!({
        "description": doc,
        "oneOf": one_of,
        "discriminator": { "propertyName": "kind", "mapping": mapping },
    })
}

/// The HTTP API's OpenAPI description: `paths` (the routes, written by
/// hand: `src/doors/openapi-paths.json`) with the schemas of every
/// document.
pub fn openapi(paths: &str) -> String {
    let mut doc: Value = serde_json::from_str(paths).expect("openapi-paths.json is JSON");
    let mut schemas: Map<String, Value> =
        serde_json::from_str(include_str!("scalars.json")).expect("scalars.json is JSON");
    for e in enums() {
        let values: Vec<&str> = e.values.iter().map(|(v, _)| *v).collect();
        schemas.insert(
            e.name.into(),
            json!({ "type": "string", "enum": values, "description": e.doc }),
        );
    }
    for (name, _, doc) in SCALARS {
        schemas[*name]["description"] = json!(doc);
    }
    let mut all = shapes();
    all.extend(manjian::testing::server_shapes());
    // A shape others extend is written into each of them (an object with
    // `additionalProperties: false` cannot be combined), not on its own.
    let bases: Vec<&str> = all.iter().filter_map(|s| s.extends).collect();
    for s in all.iter().filter(|s| !bases.contains(&s.name)) {
        schemas.insert(s.name.into(), openapi_shape(s, &all));
    }
    for (name, doc, members) in unions() {
        schemas.insert(name.into(), openapi_union(&members, doc, &all));
    }
    doc["components"]["schemas"] = Value::Object(schemas);
    let mut text = serde_json::to_string_pretty(&doc).expect("a JSON value writes");
    text.push('\n');
    text
}
