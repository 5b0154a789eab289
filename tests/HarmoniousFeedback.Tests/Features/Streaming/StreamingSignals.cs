using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Tests.Features.Streaming;

/// <summary>
/// A deterministic "practice recording" for streaming tests: harmonic notes that change pitch and loudness every 0.37 s,
/// digital silence for 0.6 s every 2.3 s (unvoiced frames, the top_db floor, silent pitch/formant frames) and a little
/// seeded noise — so every extractor takes its interesting paths in every block.
/// </summary>
internal static class StreamingSignals
{
    public static float[] Recording(int samples, int sampleRate = 16000, ulong seed = 7)
    {
        var rng = new SplitMix64(seed);
        var x = new float[samples];
        double phase = 0;
        for (int n = 0; n < samples; n++)
        {
            double t = (double)n / sampleRate;
            if (t % 2.3 > 1.7) { phase = 0; continue; } // digital silence
            int note = (int)(t / 0.37);
            double f0 = 110 * Math.Pow(2, (note * 7 % 24) / 12.0);
            double amp = 0.05 + 0.4 * ((note * 5 % 9) / 8.0);
            phase += 2 * Math.PI * f0 / sampleRate;
            double v = Math.Sin(phase) + 0.5 * Math.Sin(2 * phase) + 0.25 * Math.Sin(3 * phase);
            x[n] = (float)(amp * v / 1.75 + 0.002 * (rng.NextDouble() - 0.5));
        }
        return x;
    }

    /// <summary>A stereo clip whose mean is not either channel (the downmix is exercised).</summary>
    public static AudioClip Stereo(int samples, int sampleRate = 16000)
    {
        var l = Recording(samples, sampleRate, 7);
        var r = Recording(samples, sampleRate, 8);
        for (int n = 0; n < r.Length; n++) r[n] = 0.5f * r[n] - 0.25f * l[n];
        return new AudioClip([l, r], sampleRate);
    }
}
