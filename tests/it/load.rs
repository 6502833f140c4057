//! The reference server under hostile load, on loopback: the real
//! `manjian serve` process, concurrent clients mixing valid requests (the
//! public vectors, their settlements, the hostile inputs at the limits,
//! and version 3 documents: inputs at its limits, generated carts with
//! templates, gifts, claimable coupons and tenders, their settlements and
//! refunds) with malformed ones (truncated, corrupted, invalid UTF-8, too
//! deep, too big, wrong method, abandoned mid-body), and slow-loris
//! connections that send part of their headers or body and stall. It must
//! keep answering, answer every valid request with exactly the command's
//! output, keep its memory flat, never exit, and drop the stalled
//! connections on time.
//!
//! `LOAD_SECONDS` (default 20) and `LOAD_CLIENTS` (default 16) size it;
//! `scripts/load.sh` runs a longer one and prints the summary that
//! docs/RELIABILITY.md records.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

fn env_num(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let www = std::env::temp_dir().join(format!("manjian-load-www-{}", std::process::id()));
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(www.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_manjian"))
        .args(["serve", "--addr", "127.0.0.1:0", "--www"])
        .arg(&www)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while out.read(&mut b).unwrap() == 1 && b[0] != b'\n' {
        line.push(b[0]);
    }
    let line = String::from_utf8(line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .parse()
        .unwrap();
    Server { child, addr }
}

/// Resident memory of a process, in kB.
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// One raw request; the status and body, or None if the server closed
/// without answering.
fn send(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> Option<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Some((status, body))
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 2 + n + 2..];
    }
    out
}

/// Valid inputs, quotes and settlements of those quotes, each with its
/// path and the exact output the library gives.
fn valid_inputs() -> Vec<Input> {
    let mut out = Vec::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/quote");
    for entry in std::fs::read_dir(dir).unwrap() {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        if case["expected"].get("error").is_some() {
            continue;
        }
        let input = case["input"].to_string();
        let expected = manjian::Operation::Quote.str_to_string(&input).unwrap();
        let settle = format!("{{\"quote\":{expected}}}");
        let settled = manjian::Operation::Settle.str_to_string(&settle).unwrap();
        out.push(valid(manjian::Operation::Quote, input, expected));
        out.push(valid(manjian::Operation::Settle, settle, settled));
    }
    for name in ["many_store_slots", "long_tiers"] {
        let input = testkit::hostile(name).to_string();
        let expected = manjian::Operation::Quote.str_to_string(&input).unwrap();
        out.push(valid(manjian::Operation::Quote, input, expected));
    }
    out.extend(version_3_inputs());
    out
}

/// Version 3: the inputs at its limits (2,000 templates, 100 addresses at
/// the region length limit, template arrays of 1,000 entries, 20 tenders,
/// 100 gifts a tier) and generated carts with templates, gifts, claimable
/// coupons and tenders; their quotes, settlements and refunds of
/// everything (tenders given back in kind).
fn version_3_inputs() -> Vec<Input> {
    use manjian::Operation::{Quote, Refund, Settle};
    let mut inputs: Vec<String> = testkit::HOSTILE_V3
        .iter()
        .map(|name| testkit::hostile_v3(name).to_string())
        .collect();
    for seed in 0..40 {
        let input = testkit::quote_input(&mut testkit::Rng::new(seed), testkit::Shape::SMALL.v3());
        inputs.push(input.to_string());
    }
    let mut out = Vec::new();
    for input in inputs {
        // An undeliverable cart has no quote to settle or refund.
        let Ok(quote) = Quote.str_to_string(&input) else {
            continue;
        };
        let q: serde_json::Value = serde_json::from_str(&quote).unwrap();
        let all: Vec<serde_json::Value> = q["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| serde_json::json!({"line": l["id"], "qty": l["qty"]}))
            .collect();
        let settle = serde_json::json!({ "quote": q }).to_string();
        let refund = serde_json::json!({ "quote": q, "returns": all }).to_string();
        let settled = Settle.str_to_string(&settle).unwrap();
        let refunded = Refund.str_to_string(&refund).unwrap();
        out.push(valid(Quote, input, quote));
        out.push(valid(Settle, settle, settled));
        out.push(valid(Refund, refund, refunded));
    }
    assert!(out.len() >= 100, "version 3 requests: {}", out.len());
    out
}

/// A valid request of `op`: its route, the operation, its body and answer.
fn valid(op: manjian::Operation, input: String, expected: String) -> Input {
    (
        format!("/api/{}", op.as_str()),
        op,
        input.into_bytes(),
        expected.into_bytes(),
    )
}

#[derive(Default)]
struct Counts {
    valid: AtomicU64,
    malformed: AtomicU64,
    aborted: AtomicU64,
    wrong: AtomicU64,
}

/// A valid request of [`valid_inputs`]: its route, operation, body and answer.
type Input = (String, manjian::Operation, Vec<u8>, Vec<u8>);

/// What a slow-loris watcher saw: when the server closed the connection,
/// whether it stalled in its headers, and what the server sent.
type Stalled = (Duration, bool, Vec<u8>);

/// Slow-loris: connections that stall in their headers or their body;
/// each is watched by a thread that notes when the server closes it.
fn slow_loris(addr: SocketAddr) -> Vec<JoinHandle<Stalled>> {
    (0..200)
        .map(|i| {
            let mut s = TcpStream::connect(addr).unwrap();
            let headers = i % 2 == 0;
            let part: &[u8] = if headers {
                b"POST /api/quote HTTP/1.1\r\nHost: x\r\n"
            } else {
                b"POST /api/quote HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"ru"
            };
            s.write_all(part).unwrap();
            let opened = Instant::now();
            std::thread::spawn(move || {
                s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
                let mut buf = Vec::new();
                let _ = s.read_to_end(&mut buf);
                (opened.elapsed(), headers, buf)
            })
        })
        .collect()
}

/// The server's resident memory every 250 ms until `deadline`.
fn sample_rss(pid: u32, deadline: Instant) -> JoinHandle<Vec<u64>> {
    std::thread::spawn(move || {
        let mut samples = Vec::new();
        while Instant::now() < deadline {
            samples.push(rss_kb(pid));
            std::thread::sleep(Duration::from_millis(250));
        }
        samples
    })
}

/// Client `c`: random requests until `deadline`, each counted by how it
/// was answered.
fn client(c: u64, addr: SocketAddr, inputs: &[Input], counts: &Counts, deadline: Instant) {
    let mut rng = testkit::Rng::new(c);
    while Instant::now() < deadline {
        let input = &inputs[rng.range(0, inputs.len() as u64 - 1) as usize];
        let big = input.2.len() > 100_000;
        let count = match rng.range(0, 9) {
            // Valid (the hostile big ones now and then).
            0..=4 if !big || rng.chance(5) => valid_request(addr, input, counts),
            0..=4 => continue,
            5 | 6 => malformed_request(addr, &mut rng, input, counts),
            7 => refused_request(addr, &mut rng, counts),
            _ => abandoned_request(addr, counts),
        };
        count.fetch_add(1, Ordering::Relaxed);
    }
}

/// A valid request: exactly the library's answer.
fn valid_request<'a>(addr: SocketAddr, input: &Input, counts: &'a Counts) -> &'a AtomicU64 {
    let (path, _, body, expected) = input;
    match send(addr, "POST", path, body) {
        Some((200, answer)) if &answer == expected => &counts.valid,
        _ => &counts.wrong,
    }
}

/// Truncated, or one byte corrupted: 400 with a JSON error.
fn malformed_request<'a>(
    addr: SocketAddr,
    rng: &mut testkit::Rng,
    input: &Input,
    counts: &'a Counts,
) -> &'a AtomicU64 {
    let (path, op, input, _) = input;
    let mut bad = input[..rng.range(0, input.len() as u64 - 1) as usize].to_vec();
    if rng.chance(50) && !bad.is_empty() {
        let i = rng.range(0, bad.len() as u64 - 1) as usize;
        bad[i] = 0xff;
    }
    match send(addr, "POST", path, &bad) {
        Some((400, body)) if body.starts_with(b"{\"error\":{\"code\":\"") => &counts.malformed,
        Some((200, _)) if std::str::from_utf8(&bad).is_ok_and(|t| op.str_to_string(t).is_ok()) => {
            &counts.malformed
        }
        _ => &counts.wrong,
    }
}

/// Too deep, or too big, or the wrong method.
fn refused_request<'a>(
    addr: SocketAddr,
    rng: &mut testkit::Rng,
    counts: &'a Counts,
) -> &'a AtomicU64 {
    let (method, body, status): (&str, Vec<u8>, u16) = match rng.range(0, 2) {
        0 => ("POST", "[".repeat(100_000).into_bytes(), 400),
        1 => ("POST", vec![b' '; manjian::MAX_INPUT_BYTES + 1], 413),
        _ => ("GET", Vec::new(), 405),
    };
    match send(addr, method, "/api/refund", &body) {
        Some((s, _)) if s == status => &counts.malformed,
        _ => &counts.wrong,
    }
}

/// Abandoned mid-body: no answer expected.
fn abandoned_request(addr: SocketAddr, counts: &Counts) -> &AtomicU64 {
    if let Ok(mut s) = TcpStream::connect(addr) {
        let _ = s.write_all(
            b"POST /api/quote HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{\"rules\":",
        );
    }
    &counts.aborted
}

/// The stalled connections were dropped within the timeouts (10 s), while
/// the server kept serving the others; the longest any stayed open.
fn check_loris(loris: Vec<JoinHandle<Stalled>>) -> Duration {
    let mut loris_closed = Duration::ZERO;
    for watcher in loris {
        let (after, headers, buf) = watcher.join().unwrap();
        let text = String::from_utf8_lossy(&buf);
        if headers {
            assert!(buf.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
        } else {
            assert!(text.starts_with("HTTP/1.1 408"), "stalled body: {text}");
        }
        loris_closed = loris_closed.max(after);
    }
    assert!(loris_closed < Duration::from_secs(20), "{loris_closed:?}");
    loris_closed
}

/// The peaks of resident memory in the third and the fourth quarter of
/// the run. The first half is the warm-up: the allocator's arenas grow
/// until the largest bodies have met at once (in 5 to 10 s on these
/// machines). After it, memory must stay flat: the third quarter's peak
/// against the fourth's.
fn rss_peaks(samples: &[u64], seconds: u64) -> (u64, u64) {
    // Four samples a second; half of them at least, each read, or the
    // comparison below would pass without comparing anything.
    assert!(
        samples.len() as u64 >= 2 * seconds.max(2) && samples.iter().all(|&kb| kb > 0),
        "too few memory samples in {seconds} s: {samples:?}"
    );
    let quarter = samples.len() / 4;
    let first = samples[2 * quarter..3 * quarter]
        .iter()
        .max()
        .copied()
        .unwrap_or(0);
    let second = samples[3 * quarter..].iter().max().copied().unwrap_or(0);
    (first, second)
}

#[test]
fn the_server_survives_hostile_load() {
    let seconds = env_num("LOAD_SECONDS", 20);
    let clients = env_num("LOAD_CLIENTS", 16);
    let server = start();
    let addr = server.addr;
    let inputs = Arc::new(valid_inputs());
    let counts = Arc::new(Counts::default());
    let loris = slow_loris(addr);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let sampler = sample_rss(server.child.id(), deadline);
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let inputs = Arc::clone(&inputs);
            let counts = Arc::clone(&counts);
            std::thread::spawn(move || client(c, addr, &inputs, &counts, deadline))
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let samples = sampler.join().unwrap();
    let loris_closed = check_loris(loris);
    if std::env::var_os("LOAD_TRACE").is_some() {
        println!("rss samples (kB): {samples:?}");
    }
    let (first, second) = rss_peaks(&samples, seconds);
    let valid = counts.valid.load(Ordering::Relaxed);
    let malformed = counts.malformed.load(Ordering::Relaxed);
    let aborted = counts.aborted.load(Ordering::Relaxed);
    let wrong = counts.wrong.load(Ordering::Relaxed);
    println!(
        "load: {seconds} s, {clients} clients, 200 slow-loris connections: {valid} valid answered exactly, \
         {malformed} malformed answered with the error document, {aborted} abandoned mid-body, {wrong} wrong; \
         RSS max {first} kB in the third quarter, {second} kB in the fourth; every stalled connection closed within {:.1} s",
        loris_closed.as_secs_f64()
    );
    assert_eq!(wrong, 0, "every request got its correct answer");
    assert!(valid > 0 && malformed > 0);
    assert!(
        second <= first + first / 4 + 16_384,
        "memory grew: {first} kB then {second} kB"
    );
    still_serving(server, &inputs);
}

/// Still alive, and still serving.
fn still_serving(mut server: Server, inputs: &[Input]) {
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server exited"
    );
    for (path, _, input, expected) in inputs.iter().take(2) {
        assert_eq!(
            send(server.addr, "POST", path, input),
            Some((200, expected.clone()))
        );
    }
}
