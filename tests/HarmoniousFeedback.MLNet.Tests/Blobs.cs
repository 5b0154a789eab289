using System.Globalization;
using HarmoniousFeedback.Pipeline;

namespace HarmoniousFeedback.MLNet.Tests;

/// <summary>
/// Three Gaussian classes in 6 dimensions, unit variance, class means 1.5 apart along their own axes (so Bayes
/// accuracy is high but below 1: the classes overlap), drawn with SplitMix64 + Box–Muller; ids "r000…".
/// </summary>
public static class Blobs
{
    public static readonly string[] Classes = ["a", "b", "c"];

    public static DataTable Create(int rows, ulong seed)
    {
        var rng = new SplitMix64(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var x = new float[rows][];
        var y = new string[rows];
        for (int r = 0; r < rows; r++)
        {
            int k = r % 3;
            x[r] = new float[6];
            for (int j = 0; j < 6; j++) x[r][j] = (float)(Gaussian() + (j % 3 == k ? 1.5 : 0));
            y[r] = Classes[k];
        }
        var ids = Enumerable.Range(0, rows).Select(i => "r" + i.ToString("D3", CultureInfo.InvariantCulture)).ToArray();
        return new DataTable([
            new DataColumn<string>("Id", ColumnType.String, ids),
            new DataColumn<float[]>("Features", ColumnType.Vector(6), x),
            new DataColumn<string>("Label", ColumnType.String, y),
        ]);
    }
}
