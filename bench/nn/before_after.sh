#!/bin/sh
# Interleaved before/after training throughput of the convolutional cases (cnn3_64x300, hfn_128x300), with the load.
#
#   bench/nn/before_after.sh [base-commit] [rounds]        (defaults: 18cff7f, 3; run from the repository root)
#
# Builds hfb-bench at base-commit in /tmp/hfb-before (adding the hfn_128x300 case to its nn suite when the base lacks
# it: the same model and data as today's case) and at the working tree, then runs `hfb-bench nn --filter <case>`
# alternately before/after, `rounds` times per case, printing `uptime` before each run. On a shared machine compare
# the pairs of one round with each other, not runs far apart in time.
set -eu
BASE=${1:-18cff7f}
ROUNDS=${2:-3}
BEFORE=/tmp/hfb-before
rm -rf "$BEFORE" && mkdir -p "$BEFORE"
git archive "$BASE" | tar -x -C "$BEFORE"
if ! grep -q hfn_128x300 "$BEFORE/bench/HarmoniousFeedback.Bench/NnBench.cs"; then
python3 - "$BEFORE/bench/HarmoniousFeedback.Bench/NnBench.cs" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('''    private sealed record Case(''', '''    private sealed class HfnEncoder : Module
    {
        private readonly Sequential _features; private readonly Linear _cls, _reg;
        public HfnEncoder()
        {
            var rng = new Random(5);
            UnaryModule[] Block(int cin, int cout) => [new Conv2d(cin, cout, 3, 1, 1, rng: rng), new BatchNorm2d(cout), new ReLU(), new MaxPool2d(2)];
            _features = RegisterModule("features", new Sequential([.. Block(1, 16), .. Block(16, 32), .. Block(32, 64), .. Block(64, 64), new AdaptiveAvgPool2d(1), new Flatten()]));
            _cls = RegisterModule("cls", new Linear(64, 7, rng: rng));
            _reg = RegisterModule("reg", new Linear(64, 6, rng: rng));
        }
        public (Tensor Logits, Tensor Scores) Forward(Tensor x)
        {
            var e = _features.Forward(x);
            return (_cls.Forward(e), _reg.Forward(e));
        }
    }

    private sealed record Case(''', 1)
marker = '''            return () => { opt.ZeroGrad(); F.CrossEntropy(m.Forward(x), y).Backward(); opt.Step(); };
        });
    }'''
assert marker in s
s = s.replace(marker, '''            return () => { opt.ZeroGrad(); F.CrossEntropy(m.Forward(x), y).Backward(); opt.Step(); };
        });
        yield return new("hfn_128x300", "samples/s", 32, () =>
        {
            var m = new HfnEncoder();
            var opt = new AdamW(m.Parameters(), 1e-3);
            var x = Tensor.Randn(new Random(6), 32, 1, 128, 300);
            var y = Enumerable.Range(0, 32).Select(i => (long)(i % 7)).ToArray();
            var t = Tensor.Randn(new Random(7), 32, 6);
            return () =>
            {
                opt.ZeroGrad();
                var (logits, scores) = m.Forward(x);
                (F.CrossEntropy(logits, y) + F.MseLoss(scores, t)).Backward();
                opt.Step();
            };
        });
    }''', 1)
open(p, 'w').write(s)
EOF
fi
dotnet build "$BEFORE/bench/HarmoniousFeedback.Bench" -c Release -v q -nologo | grep -E "error|Warn" || true
dotnet build bench/HarmoniousFeedback.Bench -c Release -v q -nologo | grep -E "error|Warn" || true
B="$BEFORE/bench/HarmoniousFeedback.Bench/bin/Release/net10.0/hfb-bench.dll"
A=bench/HarmoniousFeedback.Bench/bin/Release/net10.0/hfb-bench.dll
for r in $(seq 1 "$ROUNDS"); do
  for c in cnn3_64x300 hfn_128x300; do
    for side in before after; do
      if [ $side = before ]; then dll=$B; else dll=$A; fi
      printf 'round %s %-6s %s | ' "$r" $side "$(uptime | sed 's/.*load average: //')"
      dotnet "$dll" nn --filter $c | tail -1
    done
  done
done
