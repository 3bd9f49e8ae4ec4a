// CRC-32 (the IEEE polynomial of zip, PNG and zlib), the checksum at the end of a checkpoint: any
// flipped bit, and any burst of errors up to 32 bits long, changes it. Python checks the same number
// with `zlib.crc32(data[:-4])`.

/// The CRC-32 of bytes, computed a byte at a time from a 256-entry table.
package enum CRC32 {
    /// The table for the reflected polynomial 0xEDB88320.
    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The checksum of `bytes`: `CRC32.checksum(Array("123456789".utf8)) == 0xCBF43926`.
    package static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
