using System.Buffers.Binary;

namespace HarmoniousFeedback.Tests.Audio;

/// <summary>
/// Deterministic file mutator for fuzz tests: bit flips, byte overwrites, truncation, edits of 32-bit chunk size
/// fields (little- or big-endian, at the offsets of known chunk ids), insertions, deletions, duplicated spans,
/// plausible 7-bit data bytes and pure garbage, one to three of them per file.
/// </summary>
internal sealed class Mutator(int seed, string[] chunkIds, bool bigEndianSizes)
{
    private readonly Random _rng = new(seed);

    private static readonly uint[] InterestingSizes = [0, 1, 2, 3, 7, 8, 15, 16, 17, 39, 40, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFE, 0xFFFFFFFF];

    public byte[] Mutate(byte[] original)
    {
        var b = new List<byte>(original);
        int n = _rng.Next(1, 4);
        for (int k = 0; k < n; k++) MutateOnce(b);
        return b.ToArray();
    }

    private void MutateOnce(List<byte> b)
    {
        switch (_rng.Next(10))
        {
            case 0: // flip 1..8 random bits
                for (int i = _rng.Next(1, 9); i > 0 && b.Count > 0; i--) b[_rng.Next(b.Count)] ^= (byte)(1 << _rng.Next(8));
                break;
            case 1: // overwrite random bytes with interesting values
                for (int i = _rng.Next(1, 5); i > 0 && b.Count > 0; i--)
                    b[_rng.Next(b.Count)] = (byte)(_rng.Next(4) switch { 0 => 0x00, 1 => 0xFF, 2 => 0x80, _ => _rng.Next(256) });
                break;
            case 2: // truncate
                if (b.Count > 0) { int cut = _rng.Next(b.Count); b.RemoveRange(cut, b.Count - cut); }
                break;
            case 3: // chunk-size edit: find a known chunk id and rewrite the 4 bytes after it
            {
                var hits = new List<int>();
                var arr = b.ToArray();
                foreach (var id in chunkIds)
                {
                    var idb = System.Text.Encoding.ASCII.GetBytes(id);
                    for (int i = 0; i + 8 <= arr.Length; i++)
                        if (arr.AsSpan(i, 4).SequenceEqual(idb)) hits.Add(i + 4);
                }
                if (hits.Count == 0) goto case 0;
                int at = hits[_rng.Next(hits.Count)];
                uint old = bigEndianSizes ? BinaryPrimitives.ReadUInt32BigEndian(arr.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(arr.AsSpan(at));
                uint v = _rng.Next(3) switch
                {
                    0 => InterestingSizes[_rng.Next(InterestingSizes.Length)],
                    1 => (uint)(old + _rng.Next(-4, 5)),
                    _ => (uint)_rng.NextInt64(0, 1L << 32),
                };
                Span<byte> s = stackalloc byte[4];
                if (bigEndianSizes) BinaryPrimitives.WriteUInt32BigEndian(s, v); else BinaryPrimitives.WriteUInt32LittleEndian(s, v);
                for (int i = 0; i < 4; i++) b[at + i] = s[i];
                break;
            }
            case 4: // insert random bytes
            {
                int at = _rng.Next(b.Count + 1);
                var ins = new byte[_rng.Next(1, 17)];
                _rng.NextBytes(ins);
                b.InsertRange(at, ins);
                break;
            }
            case 5: // delete a span
                if (b.Count > 1) { int at = _rng.Next(b.Count); b.RemoveRange(at, Math.Min(b.Count - at, _rng.Next(1, 17))); }
                break;
            case 6: // duplicate a span
                if (b.Count > 1)
                {
                    int at = _rng.Next(b.Count), len = Math.Min(b.Count - at, _rng.Next(1, 33));
                    b.InsertRange(_rng.Next(b.Count), b.GetRange(at, len));
                }
                break;
            case 7: // garbage tail replacing the rest of the file after a random point
            {
                int at = _rng.Next(b.Count + 1);
                b.RemoveRange(at, b.Count - at);
                var g = new byte[_rng.Next(0, 64)];
                _rng.NextBytes(g);
                b.AddRange(g);
                break;
            }
            case 8: // plausible data bytes (< 0x80): keeps MIDI parseable, so the later stages see odd values
                for (int i = _rng.Next(1, 6); i > 0 && b.Count > 0; i--) b[_rng.Next(b.Count)] = (byte)_rng.Next(0x80);
                break;
            default: // pure garbage, keeping the 4-byte magic half of the time
            {
                var g = new byte[_rng.Next(0, 200)];
                _rng.NextBytes(g);
                bool keepMagic = _rng.Next(2) == 0 && b.Count >= 4 && g.Length >= 4;
                if (keepMagic) for (int i = 0; i < 4; i++) g[i] = b[i];
                b.Clear();
                b.AddRange(g);
                break;
            }
        }
    }
}
