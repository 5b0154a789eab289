using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Reporting;
using HarmoniousFeedback.Tests.Evaluation;
using Xunit;

namespace HarmoniousFeedback.Tests.Reporting;

public class PaperTablesTests
{
    [Fact]
    public void Table1_has_mean_std_ci_and_p_vs_best()
    {
        var models = Synthetic.Models(seed: 3);
        var t = PaperTables.Table1(models, new Table1Options { BootstrapResamples = 500, Seed = 9 });
        Assert.Equal(["Model", "Accuracy (%)", "Macro-F1 (%)", "95 % CI (accuracy)", "p vs best"], t.Columns.Select(c => c.Header));
        Assert.Equal(["strong", "medium", "weak"], t.Rows.Select(r => r[0].Text));
        // the accuracy cell is the per-fold mean ± std of the report, in percent with one decimal
        var rep = ClassificationReport.From(models[1].Value);
        Assert.Equal(rep.AccuracySummary.Format("F1", 100), t.Rows[1][1].Text);
        Assert.Matches(@"^\d+\.\d ± \d+\.\d$", t.Rows[0][2].Text);
        Assert.Matches(@"^\[\d+\.\d, \d+\.\d\]$", t.Rows[0][3].Text);
        Assert.Equal("—", t.Rows[0][4].Text);           // the best model
        Assert.True(t.Rows[0][1].Bold);
        Assert.False(t.Rows[2][1].Bold);
        // 90 % vs 45 % accurate over 150 clips: clearly significant even for the conservative corrected t-test (5 folds)
        Assert.True(t.Rows[2][4].Text == "< 0.001" || double.Parse(t.Rows[2][4].Text, System.Globalization.CultureInfo.InvariantCulture) < 0.01, t.Rows[2][4].Text);
        Assert.Contains("Nadeau–Bengio", t.Note);
        // deterministic: same seed → identical LaTeX
        Assert.Equal(t.ToLatex(), PaperTables.Table1(models, new Table1Options { BootstrapResamples = 500, Seed = 9 }).ToLatex());
    }

    [Fact]
    public void Table1_options_add_macro_f1_ci_and_drop_p_values()
    {
        var models = Synthetic.Models(seed: 5);
        var t = PaperTables.Table1(models, new Table1Options { BootstrapResamples = 200, MacroF1Ci = true, PValueVsBest = false, Percent = false, Decimals = 3 });
        Assert.Equal(["Model", "Accuracy", "Macro-F1", "95 % CI (accuracy)", "95 % CI (macro-F1)"], t.Columns.Select(c => c.Header));
        Assert.Matches(@"^\[0\.\d{3}, 0\.\d{3}\]$", t.Rows[0][4].Text);
        var single = PaperTables.Table1(models.Take(1), new Table1Options { BootstrapResamples = 0 });
        Assert.Equal(3, single.Columns.Count); // no CI, no p-value with one model
    }

    [Fact]
    public void Table2_is_the_diagonal_of_the_row_normalised_confusion()
    {
        var a = new[]
        {
            new Prediction("1", 0, 0, "sad", "sad"), new Prediction("2", 0, 0, "sad", "happy"),
            new Prediction("3", 0, 0, "happy", "happy"), new Prediction("4", 0, 0, "happy", "happy"), new Prediction("5", 0, 0, "happy", "sad"), new Prediction("6", 0, 0, "happy", "happy"),
        };
        var b = a.Select(p => p with { Predicted = p.Truth }).ToArray();
        var t = PaperTables.Table2([new("A", a), new("B", b)]);
        Assert.Equal(["True class", "A", "B"], t.Columns.Select(c => c.Header));
        Assert.Equal(["happy", "75.0", "100.0"], t.Rows[0].Select(c => c.Text)); // 3 of 4 happy right
        Assert.Equal(["sad", "50.0", "100.0"], t.Rows[1].Select(c => c.Text));
        Assert.Equal(["Average", "62.5", "100.0"], t.Rows[2].Select(c => c.Text)); // balanced accuracy
        Assert.True(t.Rows[0][2].Bold);
    }

    [Fact]
    public void Comparison_table_lists_every_pair()
    {
        var cmp = ModelComparison.Compare(Synthetic.Models(seed: 4));
        var t = PaperTables.Comparison(cmp);
        Assert.Equal(3, t.Rows.Count);
        Assert.All(t.Rows, r => Assert.Matches(@"^\d+/\d+$", r[3].Text));
        Assert.Equal("0.050", PaperTables.FormatP(0.05));
        Assert.Equal("< 0.001", PaperTables.FormatP(0.0004));
    }

    [Fact]
    public void Comparison_table_gives_delta_in_percentage_points_under_the_given_caption_and_label()
    {
        var a = new[]
        {
            new Prediction("1", 0, 0, "sad", "sad"), new Prediction("2", 0, 0, "sad", "happy"),
            new Prediction("3", 0, 0, "happy", "happy"), new Prediction("4", 0, 0, "happy", "happy"), new Prediction("5", 0, 0, "happy", "sad"), new Prediction("6", 0, 0, "happy", "happy"),
        };
        var b = a.Select(p => p with { Predicted = p.Truth }).ToArray();
        var cmp = ModelComparison.Compare([new("A", a), new("B", b)]);
        var t = PaperTables.Comparison(cmp, caption: "A vs B.", label: "tab:x-cv-sig");
        Assert.Equal("Δ Accuracy (pp)", t.Columns[2].Header);
        // A is right on 4 of 6 clips, B on 6 of 6: 66.7 % − 100 % = −33.3 pp (one decimal, like Tables 1 and 2).
        var pair = cmp.Pairs.Single();
        Assert.Equal(pair.ModelA == "A" ? "-33.3" : "33.3", t.Rows[0][2].Text);
        Assert.Equal("A vs B.", t.Caption);
        Assert.Contains(@"\label{tab:x-cv-sig}", t.ToLatex());
        Assert.Contains("percentage points", t.Note);
    }

    [Fact]
    public void Empty_inputs_are_typed_errors()
    {
        Assert.Throws<MetricInputException>(() => PaperTables.Table1([]));
        var bad = Assert.Throws<OptionsValidationException>(() => PaperTables.Table1(Synthetic.Models(1), new Table1Options { Decimals = -1, BootstrapResamples = 50 }));
        Assert.Equal(2, bad.Problems.Count);
        Assert.Throws<MetricInputException>(() => PaperTables.Table2([new("A", Array.Empty<Prediction>())]));
    }
}
