using HarmoniousFeedback.Models.Classical;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Classical;

public class LogisticRegressionDeterminismTests
{
    [Fact]
    public void Thread_count_does_not_change_the_fit()
    {
        // 8000 rows × 70 features × 4 classes ≈ 2.2·10⁶ multiply-adds: split into 2 row blocks.
        var (x, y) = SyntheticData.Blobs(37, 8000, 70, 4, 0.3, 1.0);
        var one = LogisticRegression.Fit(x, y, new LogisticRegressionOptions { MaxDegreeOfParallelism = 1 });
        var two = LogisticRegression.Fit(x, y, new LogisticRegressionOptions { MaxDegreeOfParallelism = 2 });
        Assert.Equal(one.Coef, two.Coef);
        Assert.Equal(one.Intercept, two.Intercept);
        Assert.Equal(one.Iterations, two.Iterations);
    }
}
