use mestno_core::ErrorCode;
use mestno_core::model::*;

use crate::util::*;

#[tokio::test]
async fn a_cyrillic_program_code_is_found_and_kept_unique_whatever_the_case() {
    let o = office().await;
    let id = ppmi(&o.store).await;
    assert_eq!(
        o.store.find_program("ппми").await.unwrap(),
        id,
        "SQLite's lower() is ASCII-only; the core must fold Cyrillic"
    );
    let twin = ProgramInput { code: "Ппми".into(), ..o.store.program(id).await.unwrap().input };
    let err = o.store.create_program(twin).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "code");
    let missing = o.store.find_program("НБ").await.unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
    assert_eq!(missing.to_string(), "не найдена программа «НБ»");
}

#[tokio::test]
async fn minimum_shares_over_one_hundred_percent_are_refused() {
    let o = office().await;
    let input = ProgramInput {
        code: "ГИ".into(),
        name: "Гражданская инициатива 50/50".into(),
        kind: ProgramKind::Civic5050,
        description: String::new(),
        rules: CofinancingRules { min_residents_share_bp: 6000, min_business_share_bp: 5000, ..Default::default() },
        cycles: vec![],
    };
    let err = o.store.create_program(input).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "rules");
}
