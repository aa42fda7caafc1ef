//! Passwords: the strength rule, argon2id hashing, and the random secrets behind sessions and
//! API tokens (only their SHA-256 is stored).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// 密码规则: at least 8 characters from at least three of upper, lower, digits, symbols, and not
/// the user name.
pub fn check_strength(password: &str, username: &str) -> Result<(), AppError> {
    let chars = password.chars().count();
    if chars < 8 {
        return Err(AppError::field("password", "密码至少 8 位"));
    }
    if chars > 128 {
        return Err(AppError::field("password", "密码不能超过 128 位"));
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Err(AppError::field(
            "password",
            "密码需包含大写字母、小写字母、数字、符号中的至少三类",
        ));
    }
    if password.eq_ignore_ascii_case(username) {
        return Err(AppError::field("password", "密码不能与用户名相同"));
    }
    Ok(())
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

/// False for a wrong password and for a stored hash that cannot be read.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// 32 random bytes as hex: session ids, CSRF tokens, API tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A password the rules accept, for demo accounts and administrator resets.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 10];
    rand::rng().fill_bytes(&mut bytes);
    let body: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("Yj{body}#7")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_rules() {
        assert!(check_strength("Abcdef1!", "zhang").is_ok());
        assert!(check_strength("abcdef12", "zhang").is_err(), "two classes");
        assert!(check_strength("Ab1!", "zhang").is_err(), "too short");
        assert!(
            check_strength("Zhang123!", "zhang123!").is_err(),
            "same as user name"
        );
        assert!(check_strength(&generate(), "x").is_ok());
    }

    #[test]
    fn hash_and_verify() {
        let stored = hash("Abcdef1!").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("Abcdef1!", &stored));
        assert!(!verify("abcdef1!", &stored));
        assert!(!verify("Abcdef1!", "not a hash"));
    }
}
