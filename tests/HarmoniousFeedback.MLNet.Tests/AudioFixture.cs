using System.Globalization;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Pipeline;

namespace HarmoniousFeedback.MLNet.Tests;

/// <summary>
/// WAV files of two learnable classes, written once per test class: "low" = harmonic tones at 110–220 Hz with slow
/// tremolo, "high" = 660–1320 Hz with fast tremolo; 4 s at 16 kHz (one full 3 s LLD segment each), plus seeded noise.
/// </summary>
public sealed class AudioFixture
{
    public const int SampleRate = 16000;

    public AudioFixture()
    {
        Directory = HarmoniousFeedback.Tests.TestTemp.Dir("hfb-mlnet-audio");
        var paths = new List<string>();
        var labels = new List<string>();
        var rng = new SplitMix64(20240601);
        for (int i = 0; i < 24; i++)
        {
            bool high = i % 2 == 1;
            double f0 = (high ? 660 : 110) * Math.Pow(2, rng.NextDouble());
            double tremolo = high ? 7 + 2 * rng.NextDouble() : 1 + rng.NextDouble();
            var x = new float[4 * SampleRate];
            for (int t = 0; t < x.Length; t++)
            {
                double time = t / (double)SampleRate, s = 0;
                for (int h = 1; h <= 4; h++) s += Math.Sin(2 * Math.PI * h * f0 * time) / h;
                x[t] = (float)(0.3 * s * (0.6 + 0.4 * Math.Sin(2 * Math.PI * tremolo * time)) + 0.01 * (2 * rng.NextDouble() - 1));
            }
            var path = Path.Combine(Directory, $"clip{i.ToString("D2", CultureInfo.InvariantCulture)}.wav");
            WavWriter.Write(path, new AudioClip(x, SampleRate, path), WavEncoding.Float32);
            paths.Add(path);
            labels.Add(high ? "high" : "low");
        }
        Paths = paths;
        Labels = labels;
    }

    public string Directory { get; }
    public IReadOnlyList<string> Paths { get; }
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Columns Path (string) and Label (string).</summary>
    public DataTable Table() => DataTable.Create(("Path", Paths.ToArray()), ("Label", Labels.ToArray()));
}
