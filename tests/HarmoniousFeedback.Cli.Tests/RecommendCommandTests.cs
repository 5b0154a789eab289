using System.Text.Json;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class RecommendCommandTests
{
    [Fact]
    public void Recommend_simulate_prints_the_table_and_writes_result_table_and_figure()
    {
        var dir = Hfb.TempDir();
        var outDir = Path.Combine(dir, "out");
        var r = Hfb.Run("recommend", "simulate", "--dataset", "synthetic", "--clips", "24", "--users", "20", "--weeks", "3", "--epochs", "2",
            "--out", outDir, "--data", Path.Combine(dir, "data"), "--threads", "2");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("| Emotion (LSTM+AM) |", r.StdOut);
        Assert.Contains("| Popularity |", r.StdOut);
        Assert.Contains("| Random |", r.StdOut);
        Assert.Contains("NDCG@10", r.StdOut);
        foreach (var f in new[] { "result.json", "table.md", "table.csv", "recommender.svg" }) Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")));
        var recs = json.RootElement.GetProperty("recommenders");
        // the paper's, three emotion re-rankings of popularity, personal popularity, popularity, random
        Assert.Equal(7, recs.GetArrayLength());
        foreach (var rec in recs.EnumerateArray())
        {
            Assert.InRange(rec.GetProperty("hitRate").GetDouble(), 0, 1);
            Assert.InRange(rec.GetProperty("ndcg").GetDouble(), 0, 1);
            Assert.InRange(rec.GetProperty("acceptance").GetDouble(), rec.GetProperty("firstOfferAcceptance").GetDouble(), 1);
        }
        var popularity = recs.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "Popularity");
        Assert.Equal(JsonValueKind.Null, popularity.GetProperty("hitRateVsPopularity").ValueKind); // popularity is the reference
        Assert.Contains("| Emotion × personal popularity (played pieces) |", r.StdOut);
        // every fitted re-ranking reports λ and ω after each evaluated week (weeks 0 … W − 2)
        var fitted = json.RootElement.GetProperty("fitted");
        Assert.Equal(4, fitted.GetArrayLength());
        foreach (var f in fitted.EnumerateArray()) Assert.Equal(2, f.GetProperty("moodLift").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("emotionOverPersonal").GetProperty("ndcg").TryGetProperty("mean", out _));
    }

    [Fact]
    public void Recommend_simulate_rejects_bad_options_with_every_problem_and_exit_code_2()
    {
        var r = Hfb.Run("recommend", "simulate", "--dataset", "spotify", "--users", "0", "--k", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--dataset = 'spotify' is not known", r.StdErr);
        Assert.Contains("Users = 0", r.StdErr);
        Assert.Contains("ListLength = 0", r.StdErr);
    }
}
