using HarmoniousFeedback.Features;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public class FeatureCsvWriterTests
{
    private static FeatureMatrix Rows(int first, int count)
    {
        var data = new float[count * 3];
        var times = new double[count];
        for (int i = 0; i < count; i++)
        {
            times[i] = (first + i) * 0.01;
            for (int j = 0; j < 3; j++) data[i * 3 + j] = (first + i) * 0.1f + j / 3f;
        }
        return new FeatureMatrix(data, count, 3, ["a", "b", "c"], times);
    }

    [Fact]
    public void Blocks_written_one_by_one_give_the_bytes_of_the_whole_matrix()
    {
        var dir = TestPaths.TempDir();
        var whole = Path.Combine(dir, "whole.csv");
        FeatureCsv.Write(Rows(0, 10), whole, includeTime: true, columns: [2, 0]);
        var streamed = Path.Combine(dir, "streamed.csv");
        using (var w = new FeatureCsvWriter(streamed, ["a", "b", "c"], includeTime: true, columns: [2, 0]))
        {
            w.Append(Rows(0, 4));
            w.Append(Rows(4, 0));
            w.Append(Rows(4, 6));
            Assert.False(File.Exists(streamed)); // nothing under the real name until the commit
            w.Commit();
            Assert.Equal(10, w.Rows);
        }
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(streamed));
    }

    [Fact]
    public void Without_a_commit_the_target_keeps_its_content_and_no_temporary_file_remains()
    {
        var dir = TestPaths.TempDir();
        var target = Path.Combine(dir, "out.csv");
        File.WriteAllText(target, "old");
        using (var w = new FeatureCsvWriter(target, ["a", "b", "c"])) w.Append(Rows(0, 5)); // e.g. extraction failed here
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal(["out.csv"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_or_a_path_below_a_file_is_refused_before_anything_is_written()
    {
        var dir = TestPaths.TempDir();
        var e = Assert.Throws<OutputPathException>(() => new FeatureCsvWriter(dir, ["a"]));
        Assert.Contains("is a folder", e.Message);
        var file = Path.Combine(dir, "file.csv");
        File.WriteAllText(file, "x");
        e = Assert.Throws<OutputPathException>(() => new FeatureCsvWriter(Path.Combine(file, "x.csv"), ["a"]));
        Assert.Contains($"{file} is a file, not a folder", e.Message);
        Assert.Equal(["file.csv"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }
}
