import Foundation

/// Headless Chromium (Debian's `chromium`, installed by scripts/setup) and a PNG check.
enum Chromium {
    static let binary = "/usr/bin/chromium"

    /// Runs chromium with a throwaway profile and a time limit; `--no-sandbox` because tests run as root.
    static func run(_ arguments: [String]) async throws -> Testbed.ProcessResult {
        let profile = NSTemporaryDirectory() + "muster-chromium-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        return await Testbed.run(
            "/usr/bin/timeout",
            [
                "60", binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--user-data-dir=\(profile)",
            ] + arguments)
    }
}

/// What a PNG shows, from python3's standard library (zlib): size, distinct colours, and
/// the share of pixels that are not near-white. A blank page has one colour and no ink.
struct PNGStats: Decodable {
    let width: Int
    let height: Int
    let colors: Int
    let ink: Double

    static func of(_ path: String) async throws -> PNGStats {
        let result = await Testbed.run("/usr/bin/python3", ["-c", script, path])
        guard result.status == 0 else { throw CheckFailed(message: "png check: \(result.stderr)") }
        return try JSONDecoder().decode(PNGStats.self, from: Data(result.output.utf8))
    }

    struct CheckFailed: Error { let message: String }

    /// Reads IHDR, inflates the IDAT chunks and undoes the per-row filters (8-bit RGB/RGBA).
    static let script = #"""
        import json, struct, sys, zlib
        data = open(sys.argv[1], "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
        pos, idat = 8, b""
        while pos < len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b"IHDR":
                width, height, depth, color = struct.unpack(">IIBB", body[:10])
            elif kind == b"IDAT":
                idat += body
            pos += 12 + length
        assert depth == 8 and color in (2, 6), "unexpected PNG type %d/%d" % (depth, color)
        bpp = 3 if color == 2 else 4
        raw, stride = zlib.decompress(idat), width * bpp
        previous, colors, ink, i = bytearray(stride), set(), 0, 0
        for _ in range(height):
            kind, row = raw[i], bytearray(raw[i + 1:i + 1 + stride])
            i += 1 + stride
            for x in range(stride):
                a = row[x - bpp] if x >= bpp else 0
                b = previous[x]
                c = previous[x - bpp] if x >= bpp else 0
                if kind == 1: row[x] = (row[x] + a) & 255
                elif kind == 2: row[x] = (row[x] + b) & 255
                elif kind == 3: row[x] = (row[x] + (a + b) // 2) & 255
                elif kind == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            for x in range(0, stride, bpp):
                pixel = bytes(row[x:x + 3])
                colors.add(pixel)
                if min(pixel) < 200: ink += 1
            previous = row
        print(json.dumps({"width": width, "height": height, "colors": len(colors), "ink": ink / (width * height)}))
        """#
}
