using HarmoniousFeedback.Models.Classical;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Classical;

public class ClassicalDataTests
{
    [Fact]
    public void Scaler_uses_training_statistics_and_leaves_constant_columns_unscaled()
    {
        double[][] train = [[1, 5, 10], [3, 5, 20], [5, 5, 30]];
        var s = StandardScaler.Fit(train);
        Assert.Equal(new[] { 3.0, 5.0, 20.0 }, s.Mean);
        // Population std (ddof = 0): √(8/3) and √(200/3); the constant column keeps scale 1 (scikit-learn).
        Assert.Equal(Math.Sqrt(8.0 / 3), s.Scale[0], 14);
        Assert.Equal(1.0, s.Scale[1]);
        var t = s.Transform([[3, 7, 20]]);
        Assert.Equal(new[] { 0.0, 2.0, 0.0 }, t[0]);
        var z = s.Transform(train);
        Assert.Equal(0.0, z.Average(r => r[0]), 14);
        Assert.Equal(1.0, z.Average(r => r[0] * r[0]), 14);
    }

    [Fact]
    public void Csv_loader_maps_string_labels_in_sorted_order_and_reuses_training_classes()
    {
        var dir = TestPaths.TempDir("hfb-classic");
        var train = Path.Combine(dir, "train.csv");
        File.WriteAllText(train, "a,mood,b\n1.5,sad,-2\n2,happy,3e-1\n\n0,angry,1\n");
        var t = FeatureTable.LoadCsv(train, "mood");
        Assert.Equal(new[] { "a", "b" }, t.FeatureNames);
        Assert.Equal(new[] { "angry", "happy", "sad" }, t.ClassNames);
        Assert.Equal(new[] { 2, 1, 0 }, t.Labels);
        Assert.Equal(new[] { 2.0, 0.3 }, t.Features[1]);

        var test = Path.Combine(dir, "test.csv");
        File.WriteAllText(test, "a,mood,b\n1,sad,2\n1,calm,2\n");
        var e = Assert.Throws<DatasetException>(() => FeatureTable.LoadCsv(test, "mood", t.ClassNames));
        Assert.Contains("label \"calm\" is not one of the training classes (angry, happy, sad)", e.Message);
    }

    [Fact]
    public void Csv_errors_name_the_file_line_and_column()
    {
        var dir = TestPaths.TempDir("hfb-classic");
        var path = Path.Combine(dir, "bad.csv");
        File.WriteAllText(path, "x,label,y\n1,a,2\n1,b,oops\n");
        var e = Assert.Throws<DatasetException>(() => FeatureTable.LoadCsv(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 3, column \"y\": \"oops\" is not a number", e.Message);

        var missing = Assert.Throws<DatasetException>(() => FeatureTable.LoadCsv(path, "class"));
        Assert.Contains("no label column \"class\"", missing.Message);
        Assert.Contains("columns are: x, label, y", missing.Message);

        File.WriteAllText(path, "x,label\n1,a,2\n");
        Assert.Contains("line 2 has 3 cells but the header has 2", Assert.Throws<DatasetException>(() => FeatureTable.LoadCsv(path)).Message);
    }

    [Fact]
    public void Csv_loader_reads_quoted_fields_with_commas_and_quotes_a_bom_and_crlf_line_ends()
    {
        var dir = TestPaths.TempDir("hfb-classic");
        var path = Path.Combine(dir, "quoted.csv");
        File.WriteAllText(path, "\uFEFF\"Label\",\"x\",y\r\n\"happy, calm\",1,2\r\n\"the \"\"sad\"\" one\",3, 4 \r\n\r\n");
        var t = FeatureTable.LoadCsv(path);   // the label column is matched case-insensitively
        Assert.Equal(new[] { "x", "y" }, t.FeatureNames);
        Assert.Equal(new[] { "happy, calm", "the \"sad\" one" }, t.ClassNames);
        Assert.Equal(new[] { 3.0, 4.0 }, t.Features[1]);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e400")]
    public void Csv_loader_refuses_non_finite_cells_naming_the_line_and_column(string cell)
    {
        var dir = TestPaths.TempDir("hfb-classic");
        var path = Path.Combine(dir, "nan.csv");
        File.WriteAllText(path, $"label,a,b\nx,1,2\ny,3,{cell}\n");
        var e = Assert.Throws<DatasetException>(() => FeatureTable.LoadCsv(path));
        Assert.Contains("line 3, column \"b\"", e.Message);
        Assert.Contains("remove or impute", e.Message);
    }

    [Theory]
    [InlineData("label;a;b\nx;1,5;2\n", "';'")]
    [InlineData("label\ta\tb\nx\t1.5\t2\n", "tabs")]
    public void Csv_loader_names_the_separator_of_a_semicolon_or_tab_separated_file(string text, string separator)
    {
        var dir = TestPaths.TempDir("hfb-classic");
        var path = Path.Combine(dir, "sep.csv");
        File.WriteAllText(path, text);
        var e = Assert.Throws<DatasetException>(() => FeatureTable.LoadCsv(path));
        Assert.Contains($"looks separated by {separator}", e.Message);
        Assert.Contains("comma-separated", e.Message);
    }

    [Fact]
    public void Csv_loader_names_the_line_of_an_unknown_test_label_and_refuses_a_folder()
    {
        var dir = TestPaths.TempDir("hfb-classic");
        var path = Path.Combine(dir, "test.csv");
        File.WriteAllText(path, "label,a\nx,1\n\nz,2\n");
        var e = Assert.Throws<DatasetException>(() => FeatureTable.LoadCsv(path, "label", ["x", "y"]));
        Assert.Contains("line 4: label \"z\" is not one of the training classes (x, y)", e.Message);
        Assert.Contains("is a folder", Assert.Throws<DatasetException>(() => FeatureTable.LoadCsv(dir)).Message);
    }

    [Fact]
    public void Macro_f1_averages_per_class_f1_over_all_seen_labels()
    {
        int[] truth = [0, 0, 1, 1, 2, 2];
        int[] pred = [0, 1, 1, 1, 0, 0];
        // class 0: tp 1, fp 2, fn 1 → 2/5; class 1: tp 2, fp 1, fn 0 → 4/5; class 2: tp 0 → 0.
        Assert.Equal((0.4 + 0.8 + 0) / 3, ClassificationScores.MacroF1(truth, pred), 14);
        Assert.Equal(0.5, ClassificationScores.Accuracy(truth, pred));
    }
}
