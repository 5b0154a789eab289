using System.CommandLine;
using HarmoniousFeedback.Kernel;
using HarmoniousFeedback.Kernel.Install;
using HarmoniousFeedback.Kernel.Polyglot;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb notebook convert x.dib [--out y.ipynb]</c>: turns a Polyglot Notebooks <c>.dib</c> file into a Jupyter
/// notebook for the C# kernel (<see cref="DibNotebook"/>).
/// </summary>
public static class NotebookCommand
{
    public static Command Create()
    {
        var cmd = new Command("notebook", "Work with notebooks written for Polyglot Notebooks / .NET Interactive");
        cmd.Add(Convert());
        return cmd;
    }

    private static Command Convert()
    {
        var input = new Argument<string>("dib") { Description = "The Polyglot Notebooks file (.dib) to convert" };
        var output = new Option<string?>("--out") { Description = "The Jupyter notebook to write (default: the input with .ipynb)" };
        var polyglot = new Option<bool>("--polyglot-name") { Description = $"Name the kernelspec '{KernelSpec.PolyglotName}' (as .NET Interactive did) instead of '{KernelSpec.Name}'" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file" };
        var cmd = new Command("convert", "Convert a .dib file to an .ipynb that runs with the C# kernel") { input, output, polyglot, force };
        cmd.SetAction(parse =>
        {
            try
            {
                var dib = parse.GetValue(input)!;
                if (Directory.Exists(dib)) return CliErrors.Report($"'{dib}' is a folder; give the .dib file to convert", CliErrors.UsageOrInputError);
                if (!File.Exists(dib)) return CliErrors.Report($"'{dib}' does not exist", CliErrors.UsageOrInputError);
                if (!dib.EndsWith(".dib", StringComparison.OrdinalIgnoreCase))
                    return CliErrors.Report($"'{dib}' is not a .dib file (Polyglot Notebooks' plain-text format); .ipynb notebooks open in Jupyter as they are", CliErrors.UsageOrInputError);
                var target = parse.GetValue(output) ?? Path.ChangeExtension(dib, ".ipynb");
                if (Directory.Exists(target)) target = Path.Combine(target, Path.GetFileNameWithoutExtension(dib) + ".ipynb");
                OutputPathException.CheckFile(target, "--out notebook");
                if (File.Exists(target) && !parse.GetValue(force))
                    return CliErrors.Report($"'{target}' exists; pass --force to overwrite it or --out to choose another file", CliErrors.UsageOrInputError);
                var (name, display) = parse.GetValue(polyglot) ? (KernelSpec.PolyglotName, KernelSpec.PolyglotDisplayName) : (KernelSpec.Name, KernelSpec.DisplayName);
                DibNotebook.Convert(dib, target, name, display);
                Console.WriteLine($"wrote {target} (kernelspec {name})");
                return 0;
            }
            catch (KernelException e)
            {
                return CliErrors.Report(e.Message, CliErrors.UsageOrInputError);
            }
        });
        return cmd;
    }
}
