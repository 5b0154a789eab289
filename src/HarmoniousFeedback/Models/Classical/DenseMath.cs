using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>Small dense helpers for the linear baselines (row-major double arrays; eigen/Cholesky via MathNet.Numerics).</summary>
internal static class DenseMath
{
    /// <summary>G = XᵀX for row-major X [n × d]; returns row-major [d × d].</summary>
    public static double[] Gram(ReadOnlySpan<double> x, int n, int d)
    {
        var g = new double[d * d];
        for (int i = 0; i < n; i++)
        {
            var row = x.Slice(i * d, d);
            for (int a = 0; a < d; a++)
            {
                double v = row[a];
                if (v == 0) continue;
                TensorPrimitives.MultiplyAdd(row[a..], v, g.AsSpan(a * d + a, d - a), g.AsSpan(a * d + a, d - a));
            }
        }
        for (int a = 0; a < d; a++)
            for (int b = 0; b < a; b++) g[a * d + b] = g[b * d + a];
        return g;
    }

    public static Matrix<double> ToMatrix(double[] rowMajor, int rows, int cols)
        => Matrix<double>.Build.Dense(rows, cols, (r, c) => rowMajor[r * cols + c]);

    /// <summary>Eigen-decomposition of a symmetric matrix: eigenvalues descending, eigenvectors as matching columns.</summary>
    public static (double[] Values, Matrix<double> Vectors) SymmetricEigen(Matrix<double> a)
    {
        Evd<double> evd = a.Evd(Symmetricity.Symmetric);
        int n = a.RowCount;
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = evd.EigenValues[i].Real;
        var order = Enumerable.Range(0, n).OrderByDescending(i => values[i]).ThenBy(i => i).ToArray();
        var sortedVectors = Matrix<double>.Build.Dense(n, n, (r, c) => evd.EigenVectors[r, order[c]]);
        return (order.Select(i => values[i]).ToArray(), sortedVectors);
    }

    /// <summary>Moore–Penrose pseudo-inverse of a symmetric matrix, dropping eigenvalues below ε·n·|λ|max (numpy's lstsq cut-off).</summary>
    public static Matrix<double> SymmetricPseudoInverse(Matrix<double> a)
    {
        var (values, vectors) = SymmetricEigen(a);
        double cut = 2.220446049250313e-16 * a.RowCount * values.Max(Math.Abs);
        var inv = Matrix<double>.Build.Dense(a.RowCount, a.RowCount);
        for (int k = 0; k < values.Length; k++)
        {
            if (Math.Abs(values[k]) <= cut) continue;
            var v = vectors.Column(k);
            inv += v.OuterProduct(v) / values[k];
        }
        return inv;
    }
}
