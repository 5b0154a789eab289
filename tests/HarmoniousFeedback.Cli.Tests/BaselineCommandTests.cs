using System.Globalization;
using System.Text;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class BaselineCommandTests
{
    private static (string Train, string Test) Csvs()
    {
        var dir = Hfb.TempDir();
        var rng = new Random(4);
        string Write(string name, int n)
        {
            var sb = new StringBuilder("a,b,label\n");
            for (int i = 0; i < n; i++)
            {
                int k = i % 3;
                sb.Append(string.Create(CultureInfo.InvariantCulture, $"{k * 2 + rng.NextDouble()},{-k + rng.NextDouble()},c{k}\n"));
            }
            var p = Path.Combine(dir, name);
            File.WriteAllText(p, sb.ToString());
            return p;
        }
        return (Write("train.csv", 60), Write("test.csv", 30));
    }

    [Theory]
    [InlineData("svm", "--kernel", "linear")]
    [InlineData("lda", "--solver", "lsqr")]
    [InlineData("logreg", "--param", "c=0.5")]
    public void Registered_vector_models_fit_csv_tables_with_their_registry_parameters(string model, string flag, string value)
    {
        var (train, test) = Csvs();
        var r = Hfb.Run("baseline", model, "--train", train, "--test", test, flag, value, "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("\"accuracy\":1,", r.StdOut); // well separated blobs
    }

    [Fact]
    public void Parameters_a_model_does_not_have_and_models_that_cannot_read_vectors_are_one_line_errors()
    {
        var (train, test) = Csvs();
        var r = Hfb.Run("baseline", "lda", "--train", train, "--test", test, "--c", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--param.c is not a parameter of a lda model (allowed: solver, shrinkage, tol)", r.StdErr);
        var lstm = Hfb.Run("baseline", "lstm", "--train", train, "--test", test);
        Assert.Equal(2, lstm.ExitCode);
        Assert.Contains("a lstm model reads Sequence<float>[*, *], but view 'csv' is Vector<float>[2]", lstm.StdErr);
        Assert.Single(lstm.StdErr.Trim().Split('\n'));
    }
}
