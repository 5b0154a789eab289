#:project ../../src/HarmoniousFeedback/HarmoniousFeedback.csproj
#:property TreatWarningsAsErrors=false
#:property TieredPGO=false
// A/B of the HFN encoder's first inference block (1 → 16 channels, 3 × 3, 128 × 301 log-mel, folded BN + ReLU + pool):
// FoldedConvBlock's one-channel register kernel vs its direct implicit GEMM (the internal FoldedConvBlock.ForceDirect switch,
// set by reflection), alternating, 200 calls each, wall ms per call on the calling thread.
// Usage: dotnet run -c Release bench/nn/conv1_ab.cs
using System.Diagnostics;
using HarmoniousFeedback.Nn;
var rng = new NnRng(1);
var conv = new Conv2d(1, 16, 3, 1, 1, rng: rng);
var norm = new BatchNorm2d(16);
var block = new FoldedConvBlock(conv, norm);
var x = Tensor.Uniform(rng, -1f, 1f, 1, 128, 301).ToArray();
var y = new float[16 * 64 * 150];
Console.WriteLine($"single-channel kernel: {block.UsesSingleChannelKernel}");
var force = typeof(FoldedConvBlock).GetProperty("ForceDirect", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
for (int rep = 0; rep < 8; rep++)
{
    force.SetValue(null, rep % 2 == 1);
    var sw = Stopwatch.StartNew();
    int n = 200;
    for (int i = 0; i < n; i++) block.Forward(x, 128, 301, y);
    Console.WriteLine($"{(rep % 2 == 1 ? "direct  " : "register")} {sw.Elapsed.TotalMilliseconds / n:F3} ms/call");
}
