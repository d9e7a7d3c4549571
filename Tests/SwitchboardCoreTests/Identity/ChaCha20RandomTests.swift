import SwitchboardCore
import Testing

struct ChaCha20RandomTests {
    @Test("the block function matches RFC 8439 §2.3.2")
    func rfcVector() {
        // Key bytes 00 01 02 … 1f, read as little-endian words.
        let key: [UInt32] = [
            0x0302_0100, 0x0706_0504, 0x0b0a_0908, 0x0f0e_0d0c, 0x1312_1110, 0x1716_1514, 0x1b1a_1918, 0x1f1e_1d1c,
        ]
        var random = ChaCha20Random(key: key, counter: 1, nonce: [0x0900_0000, 0x4a00_0000, 0])
        let block = random.nextBlock()
        #expect(Array(block.prefix(4)) == [0xe4e7_f110, 0x1559_3bd1, 0x1fdd_0f50, 0xc471_20a3])
        #expect(block[15] == 0x4e3c_50a2)
    }

    @Test("two seeded generators produce different streams")
    func seeded() {
        var a = ChaCha20Random()
        var b = ChaCha20Random()
        #expect((0..<4).map { _ in a.next() } != (0..<4).map { _ in b.next() })
    }
}
