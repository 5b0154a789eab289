using System.Globalization;
using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using NWaves.FeatureExtractors;
using NWaves.FeatureExtractors.Options;
using NWaves.Filters.Fda;
using NwMfccOptions = NWaves.FeatureExtractors.Options.MfccOptions;
using NwPitch = NWaves.Features.Pitch;
using NwPitchOptions = NWaves.FeatureExtractors.Options.PitchOptions;
using NwWindowType = NWaves.Windows.WindowType;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// NWaves 0.9.6 set up as close to torchaudio's conventions as its public API allows, and what it cannot match:
/// <list type="bullet">
/// <item>Centring: NWaves frames start at sample 0 (no padding); the signal is reflect-padded by W/2 on both sides
/// here (W = win_length), so frame i covers the same samples as torchaudio's centred frame i.</item>
/// <item>Window: NWaves' Hann is symmetric (divisor W − 1) and has no periodic variant; torchaudio's is periodic
/// (divisor W). Not configurable: the main source of NWaves' deviation on mel.</item>
/// <item>Filterbank: <c>FilterBanks.Triangular(n_fft, sr, FilterBanks.MelBands(...))</c> without a mapper gives
/// triangles linear in Hz between HTK-mel-spaced edges, as torchaudio (NWaves' own MFCC default interpolates in the
/// mel domain); Slaney scale + norm: <c>FilterBanks.MelBankSlaney</c>.</item>
/// <item>dB: NWaves' <c>ToDecibel</c> non-linearity with floor 1e-10 = <c>10·log10(max(x, 1e-10))</c>; NWaves has no
/// clip-level top_db clamp — applied here after extraction for log-mel, not possible inside its MFCC (the DCT
/// follows the log directly), so MFCC deviates where the clamp is active (silence, quiet tones).</item>
/// <item>DCT: NWaves' "2N" (its DCT-II with orthonormal scaling, as torchaudio's <c>norm='ortho'</c>). Because
/// <c>MfccExtractor</c> cannot clamp, the suite also scores MFCC "composed" from NWaves parts with the clamp between
/// the log and the DCT (<see cref="ComposedMfcc"/>).</item>
/// <item>Pitch: NWaves' PitchExtractor (autocorrelation argmax, 80–400 Hz by default; here the toolkit's 50–1100 Hz,
/// frame 1024) and per-frame <c>Pitch.FromYin</c> (threshold 0.2 default, here 0.15 as the toolkit); no voicing decision
/// beyond NWaves' own (ACF: peak &gt; 1; YIN: none), frames centred by padding.</item>
/// </list>
/// </summary>
internal static class NWavesConfig
{
    public static int I(Dictionary<string, string> f, string k, int d) => f.TryGetValue(k, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : d;
    public static double D(Dictionary<string, string> f, string k, double d) => f.TryGetValue(k, out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : d;

    public static MelSpectrogramOptions MelOptions(int sr, Dictionary<string, string> f) => new()
    {
        SampleRate = sr, NFft = I(f, "--n-fft", 512), HopLength = I(f, "--hop", 160),
        WinLength = f.ContainsKey("--win-length") ? I(f, "--win-length", 0) : null, NMels = I(f, "--n-mels", 64),
        FMin = D(f, "--f-min", 0), FMax = f.ContainsKey("--f-max") ? D(f, "--f-max", 0) : null,
        MelScale = f.GetValueOrDefault("--mel-scale", "htk") == "slaney" ? MelScale.Slaney : MelScale.Htk,
        MelNorm = f.GetValueOrDefault("--mel-norm", "none") == "slaney" ? MelNorm.Slaney : MelNorm.None,
    };

    /// <summary>Reflect padding (numpy 'reflect', edge not repeated) by <paramref name="frame"/>/2 on both sides.</summary>
    public static float[] Pad(float[] x, int frame)
    {
        int p = frame / 2;
        var y = new float[x.Length + 2 * p];
        x.CopyTo(y, p);
        for (int k = 1; k <= p; k++)
        {
            y[p - k] = x[Math.Min(k, x.Length - 1)];
            y[p + x.Length - 1 + k] = x[Math.Max(x.Length - 1 - k, 0)];
        }
        return y;
    }

    private static float[][] FilterBank(MelSpectrogramOptions m)
    {
        double fmax = m.FMax ?? m.SampleRate / 2.0;
        if (m.MelScale == MelScale.Slaney && m.MelNorm == MelNorm.Slaney)
            return FilterBanks.MelBankSlaney(m.NMels, m.NFft, m.SampleRate, m.FMin, fmax);
        var bands = m.MelScale == MelScale.Slaney
            ? FilterBanks.MelBandsSlaney(m.NMels, m.SampleRate, m.FMin, fmax)
            : FilterBanks.MelBands(m.NMels, m.SampleRate, m.FMin, fmax);
        var fb = FilterBanks.Triangular(m.NFft, m.SampleRate, bands);
        if (m.MelNorm == MelNorm.Slaney) FilterBanks.Normalize(m.NMels, bands, fb);
        return fb;
    }

    public static FilterbankExtractor Mel(int sr, Dictionary<string, string> f, bool decibel = false)
    {
        var m = MelOptions(sr, f);
        int w = m.WinLength ?? m.NFft;
        return new FilterbankExtractor(new FilterbankOptions
        {
            SamplingRate = sr, FrameSize = w, HopSize = m.HopLength, FftSize = m.NFft, Window = NwWindowType.Hann,
            FilterBank = FilterBank(m), SpectrumType = SpectrumType.Power,
            NonLinearity = decibel ? NonLinearityType.ToDecibel : NonLinearityType.None, LogFloor = 1e-10f,
        });
    }

    public static MfccExtractor Mfcc(int sr, Dictionary<string, string> f)
    {
        var m = MelOptions(sr, f);
        int w = m.WinLength ?? m.NFft;
        return new MfccExtractor(new NwMfccOptions
        {
            SamplingRate = sr, FeatureCount = I(f, "--n-mfcc", 18), FrameSize = w, HopSize = m.HopLength, FftSize = m.NFft,
            Window = NwWindowType.Hann, FilterBank = FilterBank(m), SpectrumType = SpectrumType.Power,
            NonLinearity = NonLinearityType.ToDecibel, LogFloor = 1e-10f, DctType = "2N",
        });
    }

    public static double[][] Run(string kind, float[] x, int sr, Dictionary<string, string> f)
    {
        var m = MelOptions(sr, f);
        var padded = Pad(x, m.WinLength ?? m.NFft);
        List<float[]> rows = kind switch
        {
            "mel" => Mel(sr, f).ComputeFrom(padded),
            "logmel" => Mel(sr, f, decibel: true).ComputeFrom(padded),
            _ => Mfcc(sr, f).ComputeFrom(padded),
        };
        var result = rows.Select(r => r.Select(v => (double)v).ToArray()).ToArray();
        if (kind == "logmel")
        {
            // top_db over the whole clip, as torchaudio's AmplitudeToDB applied to the clip (NWaves has no such step).
            double floor = result.SelectMany(r => r).DefaultIfEmpty(0).Max() - D(f, "--top-db", 80);
            foreach (var r in result) for (int j = 0; j < r.Length; j++) r[j] = Math.Max(r[j], floor);
        }
        return result;
    }

    /// <summary>
    /// MFCC composed from NWaves parts so that the clip-level top_db clamp can sit between the log and the DCT:
    /// NWaves filterbank + dB (as log-mel above), the clamp, then NWaves' orthonormal DCT-II (<c>Dct2.DirectNorm</c>).
    /// </summary>
    public static double[][] ComposedMfcc(float[] x, int sr, Dictionary<string, string> f)
    {
        var logMel = Run("logmel", x, sr, f);
        int nMels = MelOptions(sr, f).NMels, nMfcc = I(f, "--n-mfcc", 18);
        var dct = new NWaves.Transforms.Dct2(nMels);
        var input = new float[nMels];
        var output = new float[nMfcc];
        return logMel.Select(row =>
        {
            for (int j = 0; j < nMels; j++) input[j] = (float)row[j];
            dct.DirectNorm(input, output);
            return output.Select(v => (double)v).ToArray();
        }).ToArray();
    }

    public static float[] PitchAutocorrelation(float[] x, int sr, Dictionary<string, string> f)
    {
        var defaults = new Features.PitchOptions();
        var extractor = new PitchExtractor(new NwPitchOptions
        {
            SamplingRate = sr, FrameSize = defaults.FrameLength, HopSize = I(f, "--hop", 160),
            LowFrequency = defaults.FMin, HighFrequency = defaults.FMax,
        });
        return extractor.ComputeFrom(Pad(x, defaults.FrameLength)).Select(r => r[0]).ToArray();
    }

    public static float[] PitchYin(float[] x, int sr, Dictionary<string, string> f)
    {
        var defaults = new Features.PitchOptions();
        int hop = I(f, "--hop", 160), frame = defaults.FrameLength;
        var padded = Pad(x, frame);
        int frames = 1 + x.Length / hop;
        var f0 = new float[frames];
        for (int i = 0; i < frames; i++)
            f0[i] = NwPitch.FromYin(padded, sr, i * hop, i * hop + frame, (float)defaults.FMin, (float)defaults.FMax, (float)defaults.Threshold);
        return f0;
    }
}
