//! 卫星热点核查: hotspots from NASA FIRMS files (upload, command line, watched folder) or typed
//! in from the provincial system, each matched to its township, merged with recent ones nearby,
//! and sent down for a check on site answered from a phone; a 林火 answer opens a fire record.

pub mod answer;
pub mod api;
pub mod demo;
pub mod entity;
pub mod firms;
pub mod migration;
pub mod model;
pub mod pages;
pub mod receive;
pub mod store;
pub mod watch;
