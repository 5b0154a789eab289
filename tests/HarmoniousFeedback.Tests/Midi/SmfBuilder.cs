namespace HarmoniousFeedback.Tests.Midi;

/// <summary>
/// Test-only Standard MIDI File byte builder: every byte the reader sees is spelled out here, so expected note
/// lists can be derived by hand. <see cref="Track"/> writes events with explicit delta times; channel messages
/// can omit their status byte to exercise running status.
/// </summary>
internal sealed class SmfBuilder
{
    private readonly List<byte[]> _chunks = new();
    private readonly int _format;
    private readonly int _division;
    private int? _declaredTracks;

    public SmfBuilder(int format = 1, int division = 480) { _format = format; _division = division; }

    public SmfBuilder DeclareTracks(int n) { _declaredTracks = n; return this; }

    public SmfBuilder Add(Track t) { _chunks.Add(Chunk("MTrk", t.Bytes())); return this; }

    public SmfBuilder AddChunk(string id, byte[] body) { _chunks.Add(Chunk(id, body)); return this; }

    public byte[] Build()
    {
        var o = new List<byte>();
        int tracks = _declaredTracks ?? _chunks.Count;
        o.AddRange(Chunk("MThd", [(byte)(_format >> 8), (byte)_format, (byte)(tracks >> 8), (byte)tracks, (byte)(_division >> 8), (byte)_division]));
        foreach (var c in _chunks) o.AddRange(c);
        return o.ToArray();
    }

    public static byte[] Chunk(string id, byte[] body)
    {
        var o = new List<byte>(body.Length + 8);
        o.AddRange(System.Text.Encoding.ASCII.GetBytes(id));
        o.Add((byte)(body.Length >> 24)); o.Add((byte)(body.Length >> 16)); o.Add((byte)(body.Length >> 8)); o.Add((byte)body.Length);
        o.AddRange(body);
        return o.ToArray();
    }

    public static byte[] VarInt(long v)
    {
        var stack = new List<byte> { (byte)(v & 0x7F) };
        v >>= 7;
        while (v > 0) { stack.Insert(0, (byte)(0x80 | (v & 0x7F))); v >>= 7; }
        return stack.ToArray();
    }

    internal sealed class Track
    {
        private readonly List<byte> _b = new();
        private bool _ended;

        public Track Raw(long delta, params byte[] bytes) { _b.AddRange(VarInt(delta)); _b.AddRange(bytes); return this; }

        public Track On(long delta, int ch, int pitch, int vel, bool running = false)
            => running ? Raw(delta, (byte)pitch, (byte)vel) : Raw(delta, (byte)(0x90 | ch), (byte)pitch, (byte)vel);

        public Track Off(long delta, int ch, int pitch, int vel = 64, bool running = false)
            => running ? Raw(delta, (byte)pitch, (byte)vel) : Raw(delta, (byte)(0x80 | ch), (byte)pitch, (byte)vel);

        public Track Cc(long delta, int ch, int controller, int value) => Raw(delta, (byte)(0xB0 | ch), (byte)controller, (byte)value);

        public Track Program(long delta, int ch, int program) => Raw(delta, (byte)(0xC0 | ch), (byte)program);

        public Track Tempo(long delta, int usPerQuarter)
            => Raw(delta, 0xFF, 0x51, 0x03, (byte)(usPerQuarter >> 16), (byte)(usPerQuarter >> 8), (byte)usPerQuarter);

        public Track TimeSig(long delta, int num, int denPower) => Raw(delta, 0xFF, 0x58, 0x04, (byte)num, (byte)denPower, 24, 8);

        public Track Name(long delta, string name)
        {
            var s = System.Text.Encoding.ASCII.GetBytes(name);
            return Raw(delta, [0xFF, 0x03, .. VarInt(s.Length), .. s]);
        }

        public Track Sysex(long delta, params byte[] payload) => Raw(delta, [0xF0, .. VarInt(payload.Length), .. payload]);

        public Track End(long delta = 0) { _ended = true; return Raw(delta, 0xFF, 0x2F, 0x00); }

        public byte[] Bytes() => _b.ToArray();

        public bool Ended => _ended;
    }
}
