use super::*;

fn t(s: &str) -> Value {
    Value::Text(s.into())
}

fn rub(v: &Value) -> Option<i64> {
    money(v, MoneyUnit::Rubles).ok().flatten().map(|k| k.0)
}

#[test]
fn money_in_every_notation_offices_use_is_exact_to_the_kopeck() {
    for (cell, kopecks) in [
        (t("1 234 567,89"), 123_456_789),
        (t("1\u{a0}234\u{a0}567,89 ₽"), 123_456_789),
        (t("1234567.89 руб."), 123_456_789),
        (t("1.234.567,89"), 123_456_789),
        (t("1,234,567.89"), 123_456_789),
        (t("1 234 567"), 123_456_700),
        (t("0,05"), 5),
        (t("1 000 000 рублей"), 100_000_000),
        (Value::Number(1_234_567.89), 123_456_789),
        (Value::Number(0.1 + 0.2), 30),
        (Value::Number(9_999_999_999.99), 999_999_999_999),
    ] {
        assert_eq!(rub(&cell), Some(kopecks), "{cell:?}");
    }
}

#[test]
fn amounts_in_thousands_are_scaled_exactly() {
    let k = money(&t("1 234,567"), MoneyUnit::Thousands).unwrap();
    assert_eq!(k, Some(Kopecks(123_456_700)), "1 234,567 thousand roubles is 1 234 567 roubles");
    assert_eq!(money(&t("1,5 млн руб."), MoneyUnit::Rubles).unwrap(), Some(Kopecks(150_000_000)));
    assert_eq!(MoneyUnit::of_heading("Общая стоимость, тыс. руб."), MoneyUnit::Thousands);
}

#[test]
fn half_a_kopeck_rounds_away_from_zero() {
    assert_eq!(rub(&t("10,005")), Some(1001));
    assert_eq!(rub(&t("10,004")), Some(1000));
}

#[test]
fn what_is_not_money_is_refused_with_a_reason() {
    for cell in [t("около миллиона"), t("1.2.3,4,5"), t("12,34,5"), Value::Error("#DIV/0!".into()), Value::Bool(true)]
    {
        let e = money(&cell, MoneyUnit::Rubles).unwrap_err();
        assert!(!e.ru.is_empty() && !e.en.is_empty(), "{cell:?}");
    }
    assert!(money(&Value::Error("#REF!".into()), MoneyUnit::Rubles).unwrap_err().ru.contains("#REF!"));
    assert!(money(&t("-500"), MoneyUnit::Rubles).unwrap_err().ru.contains("отрицательна"));
    assert_eq!(money(&t("—"), MoneyUnit::Rubles).unwrap(), None, "a dash means no money from that source");
}

#[test]
fn dates_as_offices_write_them() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
    for (cell, expected) in [
        (t("12.03.2024"), d(2024, 3, 12)),
        (t("1.3.24"), d(2024, 3, 1)),
        (t("2024-03-12"), d(2024, 3, 12)),
        (t("12/03/2024"), d(2024, 3, 12)),
        (t("12 марта 2024 г."), d(2024, 3, 12)),
        (t("5 мая 2023"), d(2023, 5, 5)),
        (t("12.03.2024г."), d(2024, 3, 12)),
        (Value::Number(45363.0), d(2024, 3, 12)),
        (t("45363"), d(2024, 3, 12)),
    ] {
        assert_eq!(date(&cell).ok().flatten(), expected, "{cell:?}");
    }
    assert!(date(&t("31.02.2024")).is_err(), "no such day");
    assert!(date(&t("в марте")).is_err());
}

#[test]
fn times_and_ranges() {
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(time_range(&t("18:00")).unwrap(), Some((hm(18, 0), None)));
    assert_eq!(time_range(&t("18-30")).unwrap(), Some((hm(18, 30), None)));
    assert_eq!(time_range(&t("с 18:00 до 20:30")).unwrap(), Some((hm(18, 0), Some(hm(20, 30)))));
    assert_eq!(time_range(&t("10.00–12.00")).unwrap(), Some((hm(10, 0), Some(hm(12, 0)))));
    assert_eq!(time_range(&Value::Number(0.75)).unwrap(), Some((hm(18, 0), None)));
    let dt = datetime(&t("12.03.2024 18:30")).unwrap().unwrap();
    assert_eq!(dt.time(), hm(18, 30));
}

#[test]
fn phones_in_any_notation_and_several_to_a_cell() {
    assert_eq!(phones(&Value::Number(89_131_234_567.0)).unwrap(), vec!["+79131234567"]);
    assert_eq!(
        phones(&t("8 913 555-12-34, 8 (39161) 2-12-34")).unwrap(),
        vec!["+79135551234", "+73916121234"],
        "two numbers in one cell"
    );
    assert_eq!(phones(&t("+7 913 555 12 34 / 8-913-555-12-35")).unwrap().len(), 2);
    let e = phones(&t("2-12-34")).unwrap_err();
    assert!(e.ru.contains("2-12-34"), "the message names what could not be read: {}", e.ru);
}

#[test]
fn counts_and_percentages() {
    assert_eq!(count(&t("1 234 чел.")).unwrap(), Some(1234));
    assert_eq!(count(&Value::Number(300.0)).unwrap(), Some(300));
    assert!(count(&Value::Number(12.5)).is_err(), "half a person is not a count");
    assert!(count(&t("-3")).is_err());
    assert_eq!(percent(&Value::Number(0.75)).unwrap(), Some(75), "a cell formatted as percent holds 0.75");
    assert_eq!(percent(&t("75 %")).unwrap(), Some(75));
    assert_eq!(percent(&t("100")).unwrap(), Some(100));
    assert!(percent(&t("150")).is_err());
    assert_eq!(year(&t("2025 г.")).unwrap(), Some(2025));
}

#[test]
fn huge_text_is_refused_not_truncated_silently() {
    let huge = Value::Text("а".repeat(MAX_TEXT + 1));
    assert!(text(&huge).unwrap_err().ru.contains("слишком длинный"));
    assert_eq!(text(&t("  Ремонт \n  водопровода ")).unwrap().as_deref(), Some("Ремонт водопровода"));
}
