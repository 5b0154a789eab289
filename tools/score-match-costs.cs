#:project ../src/HarmoniousFeedback/HarmoniousFeedback.csproj
#:property TreatWarningsAsErrors=false
using System.Text.Json;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;

// Calibrates PerformanceCheck.DefaultMaxMatchCost (docs/feedback.md, "Does the recording play the score?"): the mean DTW
// path cost per cell (ReferenceAlignmentResult.MeanCost) of every third clip of a prepared teaching-feedback corpus against
// its own score rendered by builtin (by renderer and planted issue) and against the score of the clip half the corpus
// away (another piece), with librosa chroma and with CRP + a 30 dB tail trim; prints quantiles.
// Usage: dotnet run tools/score-match-costs.cs CORPUS_DIR [MAX_CLIPS]   (CORPUS_DIR: a data/feedback-… folder with manifest.json)
var root = args[0];
int limit = int.Parse(args.Length > 1 ? args[1] : "300");
var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "manifest.json"))).RootElement;
foreach (var profile in new[] { PitchProfile.Chroma, PitchProfile.Crp })
{
    var align = new ReferenceAlignment(new ReferenceAlignmentOptions { PitchProfile = profile, TailDb = profile == PitchProfile.Crp ? 30 : null });
    var own = new Dictionary<string, List<double>>();
    var other = new Dictionary<string, List<double>>();
    var clips = manifest.GetProperty("clips").EnumerateArray().ToList();
    int n = 0;
    for (int k = 0; k < clips.Count && n < limit; k += 3, n++)
    {
        var c = clips[k];
        string label = c.GetProperty("label").GetString()!, renderer = c.GetProperty("renderer").GetString()!;
        string refRel = c.GetProperty("referenceAudio").GetString()!.Replace("." + renderer + ".wav", ".builtin.wav");
        var c2 = clips[(k + clips.Count / 2) % clips.Count];
        string ref2 = c2.GetProperty("referenceAudio").GetString()!;
        ref2 = ref2.Replace("." + c2.GetProperty("renderer").GetString()! + ".wav", ".builtin.wav");
        var s = AudioFile.Read(Path.Combine(root, c.GetProperty("audio").GetString()!)).AsMono();
        var r = AudioFile.Read(Path.Combine(root, refRel)).AsMono();
        var r2 = AudioFile.Read(Path.Combine(root, ref2)).AsMono();
        string key = renderer + "/" + label;
        (own.TryGetValue(key, out var l) ? l : own[key] = []).Add(align.Compute(s, r).MeanCost);
        if (ref2 != refRel) (other.TryGetValue(renderer, out var l2) ? l2 : other[renderer] = []).Add(align.Compute(s, r2).MeanCost);
    }
    Console.WriteLine($"== {profile}");
    static string Q(List<double> v) { var a = v.OrderBy(x => x).ToArray(); return $"n={a.Length,3} min {a[0]:F3} p50 {a[a.Length / 2]:F3} p90 {a[(int)(0.9 * (a.Length - 1))]:F3} p95 {a[(int)(0.95 * (a.Length - 1))]:F3} max {a[^1]:F3}"; }
    foreach (var (k, v) in own.OrderBy(kv => kv.Key)) Console.WriteLine($"own   {k,-30} {Q(v)}");
    foreach (var (k, v) in other.OrderBy(kv => kv.Key)) Console.WriteLine($"other {k,-30} {Q(v)}");
}
