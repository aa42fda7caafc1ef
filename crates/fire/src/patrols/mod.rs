//! 巡查点位与分片包干: checkpoints (督导点 / 巡护点) with printable QR codes, check-ins by scanning
//! them on a phone (who, when, where), and the leaders' assigned inspection tours with the scan
//! rate (扫码督导率) per person and per township.

pub mod api;
pub mod demo;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod qr;
pub mod store;
