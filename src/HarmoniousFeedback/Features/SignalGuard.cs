using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>Signal checks and frame bookkeeping shared by the extractors.</summary>
internal static class SignalGuard
{
    /// <summary>Throws <see cref="InvalidSignalException"/> naming the first non-finite sample.</summary>
    public static void RequireFinite(ReadOnlySpan<float> x, string what = "signal")
    {
        for (int i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i]))
                throw new InvalidSignalException($"{what} sample {i} is {x[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; feature extraction needs finite samples (replace or drop NaN/Inf first)");
    }

    /// <summary>The clip as mono (channel mean) after checking its rate against the extractor's.</summary>
    public static float[] MonoAt(AudioClip clip, int expectedRate, string extractor)
    {
        if (clip.SampleRate != expectedRate)
            throw new FeatureParameterException(extractor,
                [$"clip '{clip.Source}' has sample rate {clip.SampleRate} Hz but the extractor was built for SampleRate = {expectedRate} Hz " +
                 "(its filterbank/frequency axis depend on it); resample the clip explicitly or build the extractor with the clip's rate"]);
        return clip.ToMono();
    }

    /// <summary>Frame times: centred frames are centred on sample i·hop; uncentred frames on i·hop + frameLength/2.</summary>
    public static double[] Times(int frames, int hop, int frameLength, bool center, int sampleRate)
    {
        var t = new double[frames];
        double off = center ? 0 : frameLength / 2.0;
        for (int i = 0; i < frames; i++) t[i] = (i * (double)hop + off) / sampleRate;
        return t;
    }

    public static string[] Names(string prefix, int n)
    {
        var r = new string[n];
        for (int i = 0; i < n; i++) r[i] = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return r;
    }
}
