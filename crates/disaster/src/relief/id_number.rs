//! 公民身份号码 (GB 11643-1999): 18 characters — 6-digit address code, 8-digit birth date,
//! 3-digit sequence, and a check character computed from the first 17 (ISO 7064 MOD 11-2).
//! Published lists show only the first 6 and last 4 characters.

use chrono::NaiveDate;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Why a typed ID number is not valid, in words a village liaison understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdError {
    Format,
    BirthDate,
    CheckDigit { expected: char },
}

impl IdError {
    pub fn message(&self) -> String {
        match self {
            Self::Format => "身份证号应为 18 位：前 17 位数字，最后一位数字或 X".to_string(),
            Self::BirthDate => "身份证号中的出生日期（第 7–14 位）不是有效日期".to_string(),
            Self::CheckDigit { expected } => {
                format!("身份证号校验位不正确（按前 17 位应为 {expected}），请核对")
            }
        }
    }
}

/// The check character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// The number as stored (trimmed, x upper-cased) when it is valid.
pub fn parse(raw: &str) -> Result<String, IdError> {
    let id = raw.trim().to_ascii_uppercase();
    let bytes = id.as_bytes();
    let well_formed = bytes.len() == 18
        && bytes[..17].iter().all(u8::is_ascii_digit)
        && (bytes[17].is_ascii_digit() || bytes[17] == b'X');
    if !well_formed {
        return Err(IdError::Format);
    }
    if NaiveDate::parse_from_str(&id[6..14], "%Y%m%d")
        .ok()
        .filter(|d| chrono::Datelike::year(d) >= 1900)
        .is_none()
    {
        return Err(IdError::BirthDate);
    }
    let expected = check_char(&bytes[..17]);
    if bytes[17] as char != expected {
        return Err(IdError::CheckDigit { expected });
    }
    Ok(id)
}

/// 510722********1234: first 6 and last 4 shown.
pub fn mask_id(id: &str) -> String {
    mask(id, 6, 4)
}

/// ****5678: the last 4 shown.
pub fn mask_account(account: &str) -> String {
    mask(account, 0, 4)
}

fn mask(text: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - head - tail;
    chars[..head]
        .iter()
        .chain(std::iter::repeat_n(&'*', hidden))
        .chain(&chars[chars.len() - tail..])
        .collect()
}

/// A valid number for a birth date and sequence, for demo data and tests.
pub fn make(area: &str, birth: NaiveDate, sequence: u32) -> String {
    let first17 = format!("{area}{}{:03}", birth.format("%Y%m%d"), sequence % 1000);
    let check = check_char(first17.as_bytes());
    format!("{first17}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_example_checks() {
        // GB 11643's own example number.
        assert_eq!(parse("11010519491231002X").unwrap(), "11010519491231002X");
        assert_eq!(parse(" 11010519491231002x ").unwrap(), "11010519491231002X");
    }

    #[test]
    fn a_wrong_check_digit_names_the_right_one() {
        assert_eq!(
            parse("110105194912310021"),
            Err(IdError::CheckDigit { expected: 'X' })
        );
    }

    #[test]
    fn format_and_birth_date_are_checked() {
        assert_eq!(parse("51072219800101123"), Err(IdError::Format));
        assert_eq!(parse("5107221980010112X4"), Err(IdError::Format));
        assert_eq!(parse("51072219800231123X"), Err(IdError::BirthDate));
    }

    #[test]
    fn made_numbers_are_valid() {
        let birth = NaiveDate::from_ymd_opt(1968, 3, 9).unwrap();
        for seq in 0..50 {
            let id = make("510722", birth, seq);
            assert_eq!(parse(&id).as_deref(), Ok(id.as_str()));
        }
    }

    #[test]
    fn masks_show_only_the_ends() {
        assert_eq!(mask_id("510722196803091234"), "510722********1234");
        assert_eq!(mask_account("6228480402564890018"), "***************0018");
        assert_eq!(mask_account("123"), "***");
    }
}
