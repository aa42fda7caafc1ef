//! A checkpoint's QR code as SVG (qrcode's renderer) and PNG (its module matrix drawn into a
//! grayscale image with the png crate, so no image library is needed).

use platform::error::{AppError, AppResult};
use qrcode::{Color, EcLevel, QrCode};

/// Quiet zone around the code, in modules (the standard asks for 4).
const QUIET: usize = 4;

fn code(link: &str) -> AppResult<QrCode> {
    // Level M survives a scuffed or dirty print at a checkpoint outdoors.
    QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("qr code: {e}")))
}

/// The code as an SVG document, at least `size` pixels wide.
pub fn svg(link: &str, size: u32) -> AppResult<String> {
    Ok(code(link)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(size, size)
        .quiet_zone(true)
        .build())
}

/// The code as an `<svg>` element to put inside a page (without the XML declaration).
pub fn inline_svg(link: &str, size: u32) -> AppResult<String> {
    let document = svg(link, size)?;
    Ok(match document.find("<svg") {
        Some(start) => document[start..].to_string(),
        None => document,
    })
}

/// The code as a PNG, `scale` pixels per module.
pub fn png(link: &str, scale: usize) -> AppResult<Vec<u8>> {
    let code = code(link)?;
    let (pixels, side) = raster(&code.to_colors(), code.width(), scale.max(1));
    let mut out = Vec::new();
    let side = u32::try_from(side).map_err(|e| AppError::Internal(e.into()))?;
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let write = |encoder: png::Encoder<&mut Vec<u8>>| -> Result<(), png::EncodingError> {
        encoder.write_header()?.write_image_data(&pixels)
    };
    write(encoder).map_err(|e| AppError::Internal(anyhow::anyhow!("png: {e}")))?;
    Ok(out)
}

/// Grayscale pixels (0 dark, 255 light) of the matrix with its quiet zone, and the side.
fn raster(colors: &[Color], width: usize, scale: usize) -> (Vec<u8>, usize) {
    let side = (width + 2 * QUIET) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (x0, y0) = ((i % width + QUIET) * scale, (i / width + QUIET) * scale);
        for y in y0..y0 + scale {
            pixels[y * side + x0..y * side + x0 + scale].fill(0);
        }
    }
    (pixels, side)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_has_the_signature_and_the_size_of_the_matrix() {
        let link = "https://yj.example.cn/fire/scan/0123456789abcdef0123456789abcdef";
        let bytes = png(link, 4).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let width = code(link).unwrap().width();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        assert_eq!(reader.info().width as usize, (width + 8) * 4);
    }

    #[test]
    fn svg_is_a_document() {
        let s = svg("https://yj.example.cn/fire/scan/x", 200).unwrap();
        assert!(s.contains("<svg") && s.trim_end().ends_with("</svg>"));
    }
}
