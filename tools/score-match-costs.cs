#:project ../src/HarmoniousFeedback/HarmoniousFeedback.csproj
#:property TreatWarningsAsErrors=false
using System.Text.Json;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;

// Calibrates PerformanceCheck.DefaultMaxMatchCost and DefaultMinContrast (docs/feedback.md, "Does the recording play the
// score?"): the mean DTW path cost per cell (ReferenceAlignmentResult.MeanCost) and the transposition contrast
// (ReferenceAlignment.Contrast) of every third clip of a prepared teaching-feedback corpus against its own score rendered
// by builtin (by renderer and planted issue) and against the score of the clip half the corpus away (another piece), and of
// white noise, a 440 Hz tone and a chirp against scores of the corpus, with librosa chroma and with CRP + a 30 dB tail
// trim; prints quantiles and how many of each group the default thresholds pass.
// Usage: dotnet run tools/score-match-costs.cs CORPUS_DIR [MAX_CLIPS]   (CORPUS_DIR: a data/feedback-… folder with manifest.json)
var root = args[0];
int limit = int.Parse(args.Length > 1 ? args[1] : "300");
var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "manifest.json"))).RootElement;
var clips = manifest.GetProperty("clips").EnumerateArray().ToList();
string BuiltinReference(JsonElement c) =>
    c.GetProperty("referenceAudio").GetString()!.Replace("." + c.GetProperty("renderer").GetString()! + ".wav", ".builtin.wav");
foreach (var profile in new[] { PitchProfile.Chroma, PitchProfile.Crp })
{
    var align = new ReferenceAlignment(new ReferenceAlignmentOptions { PitchProfile = profile, TailDb = profile == PitchProfile.Crp ? 30 : null });
    double maxCost = profile == PitchProfile.Crp ? 0.6 : 0.25, minContrast = 0.3;   // PerformanceCheck's defaults (the tool reads no CLI code)
    var groups = new SortedDictionary<string, List<(double Cost, double Contrast)>>(StringComparer.Ordinal);
    void Add(string key, AudioClip performance, AudioClip reference)
    {
        var cost = align.Compute(performance, reference).MeanCost;
        var contrast = align.Contrast(performance, reference).Contrast;
        (groups.TryGetValue(key, out var l) ? l : groups[key] = []).Add((cost, contrast));
    }
    int n = 0;
    for (int k = 0; k < clips.Count && n < limit; k += 3, n++)
    {
        var c = clips[k];
        string label = c.GetProperty("label").GetString()!, renderer = c.GetProperty("renderer").GetString()!;
        var c2 = clips[(k + clips.Count / 2) % clips.Count];
        string refRel = BuiltinReference(c), ref2 = BuiltinReference(c2);
        var s = AudioFile.Read(Path.Combine(root, c.GetProperty("audio").GetString()!)).AsMono();
        var r = AudioFile.Read(Path.Combine(root, refRel)).AsMono();
        Add($"own   {renderer}/{label}", s, r);
        Add($"own   {renderer} (all)", s, r);
        if (ref2 != refRel) Add($"other {renderer}", s, AudioFile.Read(Path.Combine(root, ref2)).AsMono());
    }
    var rng = new Random(3);
    for (int i = 0; i < 30; i++)
    {
        var r = AudioFile.Read(Path.Combine(root, BuiltinReference(clips[rng.Next(clips.Count)]))).AsMono();
        int len = r.Length;
        string kind = (i % 3) switch { 0 => "noise", 1 => "tone 440 Hz", _ => "chirp 200–800 Hz" };
        var x = new float[len];
        for (int t = 0; t < len; t++)
            x[t] = (i % 3) switch
            {
                0 => (float)(0.3 * (rng.NextDouble() - 0.5)),
                1 => (float)(0.3 * Math.Sin(2 * Math.PI * 440 * t / 16000.0)),
                _ => (float)(0.3 * Math.Sin(2 * Math.PI * (200 + 600.0 * t / len) * t / 16000.0)),
            };
        Add($"input {kind}", new AudioClip(x, r.SampleRate), r);
    }
    Console.WriteLine($"== {profile} (matched: cost ≤ {maxCost} and contrast ≥ {minContrast})");
    static string Q(IEnumerable<double> v) { var a = v.Order().ToArray(); return $"min {a[0],6:F3} p5 {a[(int)(0.05 * (a.Length - 1))],6:F3} p50 {a[a.Length / 2],6:F3} p95 {a[(int)(0.95 * (a.Length - 1))],6:F3} max {a[^1],6:F3}"; }
    foreach (var (k, v) in groups)
    {
        int byCost = v.Count(x => x.Cost <= maxCost), both = v.Count(x => x.Cost <= maxCost && x.Contrast >= minContrast);
        Console.WriteLine($"{k,-42} n={v.Count,3}  cost {Q(v.Select(x => x.Cost))}  contrast {Q(v.Select(x => x.Contrast))}  matched by cost {byCost,3}, by both {both,3}");
    }
}
