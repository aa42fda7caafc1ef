//! 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.

use std::fmt;

/// The 31 characters the code uses (no I, O, S, V, Z), in value order.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code whose check character is right.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为 18 位")]
    Length,
    #[error(
        "统一社会信用代码第 {0} 位「{1}」不是有效字符（只用数字和除 I、O、S、V、Z 外的大写字母）"
    )]
    Character(usize, char),
    #[error("统一社会信用代码校验位错误，请核对（按 GB 32100 应为「{0}」）")]
    CheckDigit(char),
}

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|a| *a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters.
fn check_char(body: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (c, w) in body.iter().zip(WEIGHTS) {
        sum += value(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(ALPHABET[check as usize])
}

impl CreditCode {
    /// Accepts lower case and surrounding spaces, as people type it.
    pub fn parse(raw: &str) -> Result<Self, CreditCodeError> {
        let code = raw.trim().to_ascii_uppercase();
        if code.chars().count() != 18 {
            return Err(CreditCodeError::Length);
        }
        let bytes = code.as_bytes();
        if let Some((i, c)) = code
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii() || value(*c as u8).is_none())
        {
            return Err(CreditCodeError::Character(i + 1, c));
        }
        let expected = check_char(&bytes[..17]).ok_or(CreditCodeError::Length)?;
        if bytes[17] != expected {
            return Err(CreditCodeError::CheckDigit(expected as char));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit administrative division code of the registering authority (positions 3–8).
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> Self {
        code.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A valid code for demo and test data: the 17 given characters plus their check character.
pub fn with_check(body17: &str) -> Option<CreditCode> {
    let upper = body17.to_ascii_uppercase();
    if upper.len() != 17 {
        return None;
    }
    let check = check_char(upper.as_bytes())?;
    Some(CreditCode(format!("{upper}{}", check as char)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_sample_code_is_valid() {
        let code = CreditCode::parse("91350100M000100Y43").unwrap();
        assert_eq!(code.division(), "350100");
        assert!(
            CreditCode::parse(" 91350100m000100y43 ").is_ok(),
            "lower case and spaces"
        );
    }

    #[test]
    fn wrong_codes_say_what_is_wrong() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y4"),
            Err(CreditCodeError::Length)
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::CheckDigit('3'))
        );
        assert_eq!(
            CreditCode::parse("91350100O000100Y43"),
            Err(CreditCodeError::Character(9, 'O'))
        );
        assert!(
            CreditCode::parse("9135010０M000100Y43").is_err(),
            "full-width digit"
        );
    }

    #[test]
    fn check_characters_are_computed_for_demo_codes() {
        let code = with_check("91510722MA6288XXX").unwrap();
        assert!(CreditCode::parse(code.as_str()).is_ok());
        // The check value 0 is written as "0", never "31".
        for body in [
            "91510722MA6288XX0",
            "91510722MA6288XX1",
            "12510722000000000",
        ] {
            let code = with_check(body).unwrap();
            assert!(CreditCode::parse(code.as_str()).is_ok(), "{code}");
        }
    }
}
