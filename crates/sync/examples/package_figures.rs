//! Figures for exchange packages: how long sealing and opening a change log of about 20 MB
//! takes, and how small it packs. `cargo run --release -p mestno-sync --example package_figures`

use std::time::Instant;

use mestno_core::model::Id;
use mestno_sync::package::{Header, Identity, open, seal};

/// About `bytes` of a change log as JSON: one change per line, ids, clocks, values in Russian.
fn change_log(bytes: usize) -> (Vec<u8>, u64) {
    const FIELDS: [(&str, &str); 6] = [
        ("initiative", "title"),
        ("initiative", "total_cost"),
        ("contact", "phone"),
        ("event", "attendees"),
        ("initiative", "stage"),
        ("contact", "name"),
    ];
    const WORDS: [&str; 8] = ["Ремонт", "дороги", "по", "ул.", "Лесной", "клуба", "освещение", "Берёзовка"];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::with_capacity(bytes + 1024);
    let mut n = 0u64;
    out.push('[');
    while out.len() < bytes {
        let (entity, field) = FIELDS[(next() % 6) as usize];
        let id = Id::from_u64_pair(0x0193_b2c4_5d6e_7f80, next());
        let value = match field {
            "total_cost" | "attendees" => format!("{}", next() % 10_000_000),
            "phone" => format!("\"+7913{:07}\"", next() % 10_000_000),
            _ => {
                let words: Vec<&str> = (0..3 + next() % 5).map(|_| WORDS[(next() % 8) as usize]).collect();
                format!("\"{}\"", words.join(" "))
            }
        };
        let clock = 1_760_000_000_000u64 + n * 37;
        out.push_str(&format!(
            "{{\"entity\":\"{entity}\",\"id\":\"{id}\",\"field\":\"{field}\",\"value\":{value},\"hlc\":\"{clock:x}-{:04x}\",\"replica\":\"0193b2c4-5d6e-7f80-9a1b-2c3d4e5f6a7b\"}},\n",
            n % 65536
        ));
        n += 1;
    }
    out.push(']');
    (out.into_bytes(), n)
}

fn main() {
    let settlement = Identity::generate("r-settlement", "Администрация сельсовета", Id::nil());
    let district = Identity::generate("r-district", "Проектный офис района", Id::nil());
    let (payload, changes) = change_log(20 << 20);
    let header = Header { from: settlement.replica.clone(), to: district.replica.clone(), seq: 1, made_at: 0, changes };

    let started = Instant::now();
    let package = seal(&settlement, &district.card(), &header, &payload).expect("seal");
    let sealed_in = started.elapsed();
    let card = settlement.card();
    let started = Instant::now();
    let (_, opened) = open(&district, &package, |_| Some(card.clone())).expect("open");
    let opened_in = started.elapsed();
    assert_eq!(opened, payload);

    let mb = payload.len() as f64 / 1e6;
    println!("payload: {mb:.1} MB, {changes} changes, {:.0} bytes per change", payload.len() as f64 / changes as f64);
    println!(
        "package: {:.2} MB ({:.1}% of the payload), {:.1} bytes per change",
        package.len() as f64 / 1e6,
        100.0 * package.len() as f64 / payload.len() as f64,
        package.len() as f64 / changes as f64
    );
    println!("seal: {:.0} ms ({:.0} MB/s)", sealed_in.as_secs_f64() * 1e3, mb / sealed_in.as_secs_f64());
    println!("open: {:.0} ms ({:.0} MB/s)", opened_in.as_secs_f64() * 1e3, mb / opened_in.as_secs_f64());
}
