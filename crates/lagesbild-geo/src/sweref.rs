//! WGS84 (geodetic latitude and longitude on GRS80, which SWEREF 99 realises) to SWEREF 99 TM
//! (EPSG:3006: transverse Mercator, central meridian 15° E, scale 0.9996, false easting
//! 500 000 m) and back, with the Gauss–Krüger series Lantmäteriet publishes ("Gauss–Krügers
//! formler för transformation mellan geodetiska koordinater och plana koordinater"), to the
//! fourth order in the third flattening: better than a tenth of a millimetre within Sweden.

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_222_101;
const LON0: f64 = 15.0;
const K0: f64 = 0.9996;
const FALSE_NORTHING: f64 = 0.0;
const FALSE_EASTING: f64 = 500_000.0;

/// The constants of the projection, computed once.
struct Constants {
    a_hat: f64,
    // forward: conformal latitude and the β series
    fa: f64,
    fb: f64,
    fc: f64,
    fd: f64,
    beta: [f64; 4],
    // inverse: the δ series and the series back to geodetic latitude
    delta: [f64; 4],
    ia: f64,
    ib: f64,
    ic: f64,
    id: f64,
}

const fn constants() -> Constants {
    let e2 = F * (2.0 - F);
    let n = F / (2.0 - F);
    let (n2, n3, n4) = (n * n, n * n * n, n * n * n * n);
    let (e4, e6, e8) = (e2 * e2, e2 * e2 * e2, e2 * e2 * e2 * e2);
    Constants {
        a_hat: A / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0),
        fa: e2,
        fb: (5.0 * e4 - e6) / 6.0,
        fc: (104.0 * e6 - 45.0 * e8) / 120.0,
        fd: 1237.0 * e8 / 1260.0,
        beta: [
            n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0 + 41.0 * n4 / 180.0,
            13.0 * n2 / 48.0 - 3.0 * n3 / 5.0 + 557.0 * n4 / 1440.0,
            61.0 * n3 / 240.0 - 103.0 * n4 / 140.0,
            49_561.0 * n4 / 161_280.0,
        ],
        delta: [
            n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0 - n4 / 360.0,
            n2 / 48.0 + n3 / 15.0 - 437.0 * n4 / 1440.0,
            17.0 * n3 / 480.0 - 37.0 * n4 / 840.0,
            4397.0 * n4 / 161_280.0,
        ],
        ia: e2 + e4 + e6 + e8,
        ib: -(7.0 * e4 + 17.0 * e6 + 30.0 * e8) / 6.0,
        ic: (224.0 * e6 + 889.0 * e8) / 120.0,
        id: -4279.0 * e8 / 1260.0,
    }
}

const C: Constants = constants();

/// WGS84 latitude and longitude (degrees) to SWEREF 99 TM easting and northing (metres).
pub fn to_sweref(lat: f64, lon: f64) -> (f64, f64) {
    let phi = lat.to_radians();
    let dlon = (lon - LON0).to_radians();
    let (s, c) = phi.sin_cos();
    let s2 = s * s;
    let phi_star = phi - s * c * (C.fa + s2 * (C.fb + s2 * (C.fc + s2 * C.fd)));
    let xi = (phi_star.tan() / dlon.cos()).atan();
    let eta = (phi_star.cos() * dlon.sin()).atanh();
    let mut x = xi;
    let mut y = eta;
    for (k, b) in C.beta.iter().enumerate() {
        let m = 2.0 * (k as f64 + 1.0);
        x += b * (m * xi).sin() * (m * eta).cosh();
        y += b * (m * xi).cos() * (m * eta).sinh();
    }
    (
        K0 * C.a_hat * y + FALSE_EASTING,
        K0 * C.a_hat * x + FALSE_NORTHING,
    )
}

/// SWEREF 99 TM easting and northing (metres) to WGS84 latitude and longitude (degrees).
pub fn to_wgs84(easting: f64, northing: f64) -> (f64, f64) {
    let xi = (northing - FALSE_NORTHING) / (K0 * C.a_hat);
    let eta = (easting - FALSE_EASTING) / (K0 * C.a_hat);
    let mut xp = xi;
    let mut ep = eta;
    for (k, d) in C.delta.iter().enumerate() {
        let m = 2.0 * (k as f64 + 1.0);
        xp -= d * (m * xi).sin() * (m * eta).cosh();
        ep -= d * (m * xi).cos() * (m * eta).sinh();
    }
    let phi_star = (xp.sin() / ep.cosh()).asin();
    let dlon = (ep.sinh() / xp.cos()).atan();
    let (s, c) = phi_star.sin_cos();
    let s2 = s * s;
    let phi = phi_star + s * c * (C.ia + s2 * (C.ib + s2 * (C.ic + s2 * C.id)));
    (phi.to_degrees(), LON0 + dlon.to_degrees())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn central_meridian_on_the_equator_is_the_false_easting() {
        let (e, n) = to_sweref(0.0, 15.0);
        assert!((e - 500_000.0).abs() < 1e-9 && n.abs() < 1e-9);
    }

    #[test]
    fn round_trips_below_ten_micrometres_over_sweden() {
        for i in 0..=40 {
            for j in 0..=40 {
                let lat = 55.0 + f64::from(i) * 14.5 / 40.0;
                let lon = 10.5 + f64::from(j) * 14.0 / 40.0;
                let (e, n) = to_sweref(lat, lon);
                let (la, lo) = to_wgs84(e, n);
                let (e2, n2) = to_sweref(la, lo);
                assert!(
                    (e - e2).abs() < 1e-5 && (n - n2).abs() < 1e-5,
                    "{lat} {lon}: {} {}",
                    e - e2,
                    n - n2
                );
            }
        }
    }
}
