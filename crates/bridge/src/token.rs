//! The bridge's secret: 32 random bytes made at start, which every call must carry as
//! `Authorization: Bearer <token>`. Another program on the same computer can reach the port,
//! but without the token it gets 403.

use subtle::ConstantTimeEq;

/// The token every call must carry.
pub struct Token(String);

impl Token {
    /// A new random token, as 64 hexadecimal digits.
    pub fn random() -> anyhow::Result<Token> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no random bytes for the token: {e}"))?;
        Ok(Token(hex::encode(bytes)))
    }

    /// The token, for the one line the bridge prints at start.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the `Authorization` header's value carries the token, compared in constant time.
    pub fn admits(&self, authorization: Option<&[u8]>) -> bool {
        let Some(given) = authorization.and_then(|h| h.strip_prefix(b"Bearer ")) else {
            return false;
        };
        given.ct_eq(self.0.as_bytes()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_token_is_admitted() {
        let token = Token::random().unwrap();
        let bearer = format!("Bearer {}", token.as_str());
        assert!(token.admits(Some(bearer.as_bytes())), "the token itself is admitted");
        assert!(!token.admits(None), "no header, no entry");
        assert!(!token.admits(Some(token.as_str().as_bytes())), "the token without «Bearer» is refused");
        assert!(!token.admits(Some(&bearer.as_bytes()[..bearer.len() - 1])), "a prefix of the token is refused");
        assert!(!token.admits(Some(format!("{bearer}0").as_bytes())), "a longer token is refused");
        assert_ne!(Token::random().unwrap().as_str(), token.as_str(), "every start makes a new token");
        assert_eq!(token.as_str().len(), 64, "32 random bytes");
    }
}
