using System.Text.RegularExpressions;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Tests.Architecture;
using Xunit;

namespace HarmoniousFeedback.Tests;

/// <summary>
/// "Nothing lower knows anything higher" (docs/architecture.md), checked on the compiled library: every reference a
/// type makes — read from the assembly's metadata by <see cref="TypeReferenceScanner"/> — must point to its own layer
/// or a lower one, in the order written once in docs/architecture.md.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string ArchitectureDoc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "architecture.md"));
    private static LayerOrder Order => LayerOrder.FromDocument("HarmoniousFeedback", ArchitectureDoc);
    private static readonly Lazy<IReadOnlyList<TypeReference>> LibraryReferences = new(() => TypeReferenceScanner.Scan(typeof(AudioClip).Assembly.Location));

    [Fact]
    public void Library_types_use_only_their_own_layer_and_lower_ones()
    {
        var violations = Order.Violations(LibraryReferences.Value);
        Assert.True(violations.Count == 0, $"{violations.Count} upward reference(s):\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Every_library_namespace_belongs_to_a_listed_layer()
    {
        var namespaces = typeof(AudioClip).Assembly.GetTypes().Select(t => t.Namespace ?? "");
        var unknown = Order.UnknownNamespaces(namespaces);
        Assert.True(unknown.Count == 0, "namespaces missing from the 'Layer order' line of docs/architecture.md: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Layer_order_line_lists_the_diagrams_stages_in_the_same_order_above_root_and_io()
    {
        // The diagram's "→ Stage" lines and the machine-read order line must not drift apart.
        var stages = Regex.Matches(ArchitectureDoc, @"^\s+→ (\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal([LayerOrder.RootLayer, "IO", .. stages], Order.Layers);
        var folders = Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "src", "HarmoniousFeedback"))
            .Select(Path.GetFileName).Where(d => d is not ("bin" or "obj")).Order(StringComparer.Ordinal);
        Assert.Equal(Order.Layers.Skip(1).Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void Scanner_sees_the_library_references_that_define_its_layers()
    {
        // Known downward uses, one per kind of reference; if the scanner went blind, the main test would pass vacuously.
        var refs = LibraryReferences.Value;
        Assert.Contains(refs, r => r.From == "HarmoniousFeedback.Plotting.ConfusionMatrixFigure" && r.To == "HarmoniousFeedback.Evaluation.ConfusionMatrix");
        Assert.Contains(refs, r => r.From == "HarmoniousFeedback.Nn.Checkpoint" && r.To == "HarmoniousFeedback.IO.ChecksummedFile" && r.Member.EndsWith("(body)", StringComparison.Ordinal));
        Assert.Contains(refs, r => r.To == "HarmoniousFeedback.HarmoniousFeedbackException" && r.Member == "base type");
        Assert.True(refs.Count > 1000, $"only {refs.Count} references found");
    }

    [Fact]
    public void Checker_names_type_member_and_both_namespaces_of_every_planted_violation()
    {
        const string root = "HarmoniousFeedback.Tests.ArchitectureFixture";
        var order = new LayerOrder(root, [LayerOrder.RootLayer, "Low", "High"]);
        var references = TypeReferenceScanner.Scan(typeof(ArchitectureTests).Assembly.Location)
            .Where(r => r.FromNamespace.StartsWith(root, StringComparison.Ordinal));
        var violations = order.Violations(references);

        string[] expected =
        [
            "FieldUser (field Field) uses " + root + ".High.FixtureHigh+HighThing",
            "SignatureUser (method Make (signature)) uses " + root + ".High.FixtureHigh+HighThing",
            "GenericArgumentUser (method Count (signature)) uses " + root + ".High.FixtureHigh+HighStruct",
            "BodyUser (method Read (body)) uses " + root + ".High.FixtureHigh+HighThing",
            "CallUser (method Call (body)) uses " + root + ".High.FixtureHigh+HighThing",
            "LocalUser (method Make (locals)) uses " + root + ".High.FixtureHigh+HighStruct",
            "FullyQualifiedUser (method Make (body)) uses " + root + ".High.FixtureHigh+HighBase",
            "DerivedUser (base type) uses " + root + ".High.FixtureHigh+HighBase",
            "InterfaceUser (interface) uses " + root + ".High.FixtureHigh+IHigh",
            "AttributeUser (attribute) uses " + root + ".High.FixtureHigh+HighAttribute",
            "TypeofUser (method Which (body)) uses " + root + ".High.FixtureHigh+HighThing",
        ];
        var missed = expected.Where(e => !violations.Any(v => v.StartsWith(root + ".Low.FixtureLow+" + e + ":", StringComparison.Ordinal))).ToArray();
        Assert.True(missed.Length == 0, "not reported:\n" + string.Join("\n", missed) + "\nreported:\n" + string.Join("\n", violations));
        // A lambda's body is compiled into a nested closure type; it still counts for (and names) the type that wrote it.
        Assert.Contains(violations, v => v.StartsWith(root + ".Low.FixtureLow+LambdaUser+", StringComparison.Ordinal) && v.Contains("uses " + root + ".High.FixtureHigh+HighThing", StringComparison.Ordinal));
        // The message names both namespaces and layers.
        Assert.Contains(violations, v => v.EndsWith($": namespace {root}.Low (layer Low, #1) must not use {root}.High (layer High, #2) — it is higher", StringComparison.Ordinal));
        // Downward and same-layer uses are not violations.
        Assert.DoesNotContain(violations, v => v.StartsWith(root + ".High.", StringComparison.Ordinal) || v.Contains("CleanLow", StringComparison.Ordinal));
    }

    [Fact]
    public void Checker_flags_exactly_the_upward_edges_of_a_list()
    {
        var order = new LayerOrder("R", [LayerOrder.RootLayer, "A", "B"]);
        TypeReference Edge(string fromNs, string toNs) => new(fromNs + ".T", fromNs, "method M (body)", toNs + ".U", toNs);
        var edges = new[]
        {
            Edge("R", "R.A"),       // root → A: up
            Edge("R.A", "R"),       // A → root: down
            Edge("R.A.Sub", "R.B"), // A (sub-namespace) → B: up
            Edge("R.B", "R.A.Sub"), // down
            Edge("R.A", "R.A.Sub"), // same layer
            Edge("Other", "R.B"),   // outside the root: not checked
        };
        var v = order.Violations(edges);
        Assert.Equal(2, v.Count);
        Assert.Equal("R.T (method M (body)) uses R.A.U: namespace R (layer (root), #0) must not use R.A (layer A, #1) — it is higher", v[0]);
        Assert.StartsWith("R.A.Sub.T (method M (body)) uses R.B.U: namespace R.A.Sub (layer A, #1)", v[1]);
        Assert.Equal(["R.C"], order.UnknownNamespaces(["R", "R.A", "R.C", "Other"]));
    }

    [Fact]
    public void Each_top_level_type_lives_in_a_file_named_after_it()
    {
        // Type X in X.cs; parts of a partial type X in X.cs or X.<Part>.cs. Nested types may stay inside their owner.
        // Files not yet split are listed with the reason; remove a line when its file is split.
        string[] notYetSplit =
        [
            "src/HarmoniousFeedback/Experiments/ExperimentRunner.cs",         // issue 11 items 1–3 (the lead) rework these
            "src/HarmoniousFeedback/Experiments/ExperimentSpec.cs",
            "src/HarmoniousFeedback/Experiments/RunFolder.cs",
            "src/HarmoniousFeedback/Pipeline/Trainers/ClassicalTrainers.cs",
            "src/HarmoniousFeedback/Pipeline/Trainers/LstmClassifierTrainer.cs",
            "src/HarmoniousFeedback/Pipeline/Trainers/MulticlassTrainer.cs",
            "src/HarmoniousFeedback/Nn/Conv.cs",                              // under parallel work (conv speed)
            "src/HarmoniousFeedback/Nn/Kernels/ConvKernels.cs",
            "src/HarmoniousFeedback/Nn/Kernels/Gemm.cs",
            "src/HarmoniousFeedback/Nn/Kernels/Gemm.Microkernels.cs",
            "src/HarmoniousFeedback/Nn/Kernels/KernelParallel.cs",
            "src/HarmoniousFeedback/Nn/Kernels/ImplicitGemmConv.Backward.cs",      // conv-speed work just merged; same reason as above
            "src/HarmoniousFeedback/Nn/Kernels/SimdOps.cs",
            "src/HarmoniousFeedback/Nn/Kernels/BnReluPoolSimd.cs",
        ];
        var declaration = new Regex(@"^(?:\[[^\]]*\]\s*)*(?:(?:public|internal|file|sealed|static|abstract|readonly|partial|unsafe|ref)\s+)*(?:record\s+struct|record\s+class|class|struct|interface|enum|record|delegate\s+[\w<>\[\],?]+)\s+(?<name>\w+)");
        string[] roots = ["src/HarmoniousFeedback", "src/HarmoniousFeedback.Cli", "tests/HarmoniousFeedback.Tests", "tests/HarmoniousFeedback.Cli.Tests", "bench/HarmoniousFeedback.Bench"];
        var misplaced = new List<string>();
        foreach (var root in roots)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, root), "*.cs", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(TestPaths.RepoRoot, file).Replace('\\', '/');
                if (rel.Contains("/obj/", StringComparison.Ordinal) || rel.Contains("/bin/", StringComparison.Ordinal) || notYetSplit.Contains(rel)) continue;
                string owner = Path.GetFileNameWithoutExtension(file).Split('.')[0];
                foreach (var line in File.ReadLines(file))
                {
                    // File-scoped namespaces: top-level declarations start in column 0; nested ones are indented.
                    if (line.Length == 0 || char.IsWhiteSpace(line[0]) || line.StartsWith("//", StringComparison.Ordinal)) continue;
                    var m = declaration.Match(line);
                    if (m.Success && m.Groups["name"].Value != owner) misplaced.Add($"{rel}: {m.Groups["name"].Value}");
                }
            }
        }
        Assert.True(misplaced.Count == 0, "types outside a file named after them:\n" + string.Join("\n", misplaced));
    }

    [Fact]
    public void Every_test_is_named_as_a_sentence()
    {
        // Subject_does_what_when_condition: a capitalised first word (it may be the API under test, e.g. ToMimeBundle),
        // then lower-case words; acronyms (SVC, FFT), proper nouns (PyTorch, McNemar) and the toolkit's own type and
        // member names (MidiFormatException, BatchNorm) keep their spelling.
        string[] properNouns = ["PyTorch", "NumPy", "Python", "Jupyter", "Roslyn", "Russell", "McNemar", "Nadeau", "Bengio", "CSharp", "MThd", "kHz", "Hz", "dB", "NaN"];
        var identifiers = typeof(AudioClip).Assembly.GetTypes()
            .SelectMany(t => t.GetMembers().Select(m => m.Name).Append(t.Name))
            .Concat(properNouns).ToHashSet(StringComparer.Ordinal);
        var declaration = new Regex(@"^\s*(?:\[\w*(?:Fact|Theory)\w*(?:\([^)]*\))?\]\s*)?public\s+(?:async\s+)?(?:void|Task|ValueTask)\s+(?<name>\w+)\s*\(");
        var attribute = new Regex(@"^\s*\[\w*(?:Fact|Theory)\w*(?:\(|\]|,)");
        bool WordOk(string w) => Regex.IsMatch(w, "^[a-z0-9]+$") || Regex.IsMatch(w, "^[A-Z0-9]{2,}s?$") || identifiers.Contains(w);
        var bad = new List<string>();
        int count = 0;
        foreach (var project in new[] { "HarmoniousFeedback.Tests", "HarmoniousFeedback.Cli.Tests", "HarmoniousFeedback.Kernel.Tests" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "tests", project), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
                bool pending = false;
                foreach (var line in File.ReadLines(file))
                {
                    bool isAttribute = attribute.IsMatch(line);
                    var m = declaration.Match(line);
                    if (m.Success && (pending || isAttribute))
                    {
                        count++;
                        var words = m.Groups["name"].Value.Split('_');
                        if (words.Length < 2 || !char.IsUpper(words[0][0]) || !words.Skip(1).All(WordOk))
                            bad.Add($"{Path.GetFileName(file)}: {m.Groups["name"].Value}");
                        pending = false;
                    }
                    else if (isAttribute) pending = true;
                    else if (!line.TrimStart().StartsWith('[')) pending = false;
                }
            }
        }
        Assert.True(count > 400, $"only {count} tests found: the scan is broken");
        Assert.True(bad.Count == 0, "tests not named Subject_does_what_when_condition:\n" + string.Join("\n", bad));
    }

    [Fact]
    public void Every_pinned_package_is_referenced_by_a_project()
    {
        // Directory.Packages.props pins versions centrally; a pin nothing references is dead weight that still
        // constrains restores (BenchmarkDotNet, FsCheck and CsvHelper were such pins).
        var pins = Regex.Matches(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "Directory.Packages.props")), "<PackageVersion Include=\"([^\"]+)\"")
            .Select(m => m.Groups[1].Value).ToArray();
        var referenced = Directory.EnumerateFiles(TestPaths.RepoRoot, "*.csproj", SearchOption.AllDirectories)
            .SelectMany(p => Regex.Matches(File.ReadAllText(p), "<PackageReference Include=\"([^\"]+)\"").Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.NotEmpty(pins);
        var unused = pins.Where(p => !referenced.Contains(p)).ToArray();
        Assert.True(unused.Length == 0, "pinned but not referenced: " + string.Join(", ", unused));
    }

    [Fact]
    public void Library_never_references_system_random_so_every_draw_goes_through_splitmix64()
    {
        // "One RNG core": a System.Random anywhere in the compiled library (a parameter, a field, a local, a call) is a
        // second generator whose algorithm can change between .NET versions and whose state cannot be checkpointed.
        // The compiler emits a TypeRef row for System.Random exactly when some signature or body uses it.
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(typeof(AudioClip).Assembly.Location));
        var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var refs = md.TypeReferences.Select(md.GetTypeReference)
            .Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name))
            .ToArray();
        Assert.Contains("System.Math", refs); // the scan sees BCL types at all
        Assert.DoesNotContain("System.Random", refs);
    }

    [Fact]
    public void Only_AtomicFile_creates_files_in_the_library()
    {
        // "One atomic-write helper used by every writer": any other file-creating call in the library is a bypass.
        // FluidSynthRenderer's scratch MIDI lives in a private temporary folder that fluidsynth reads and is deleted.
        string[] allowed = ["IO/AtomicFile.cs", "Midi/Rendering/FluidSynthRenderer.cs"];
        var pattern = new Regex(@"(?<!\w)File\.(WriteAll\w*|AppendAll\w*|Create|CreateText|OpenWrite|Move|Copy|Replace)\s*\(|FileMode\.(Create|CreateNew|OpenOrCreate|Append|Truncate)|new StreamWriter\s*\(\s*(path|tmp|file)");
        var src = Path.Combine(TestPaths.RepoRoot, "src", "HarmoniousFeedback");
        var bypasses = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Rel: Path.GetRelativePath(src, f).Replace('\\', '/'), Text: File.ReadAllLines(f)))
            .Where(f => !allowed.Contains(f.Rel))
            .SelectMany(f => f.Text.Select((line, i) => (f.Rel, Line: i + 1, Text: line)))
            .Where(l => pattern.IsMatch(l.Text))
            .Select(l => $"{l.Rel}:{l.Line}: {l.Text.Trim()}")
            .ToArray();
        Assert.True(bypasses.Length == 0, "write through HarmoniousFeedback.IO.AtomicFile instead:\n" + string.Join("\n", bypasses));
    }
}
