using System.Diagnostics;
using System.Globalization;
using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Midi.Rendering;

/// <summary>
/// Renders MIDI with the external FluidSynth program: <c>fluidsynth -ni -g &lt;gain&gt; -r &lt;rate&gt; -F out.wav &lt;sf2&gt; in.mid</c>
/// (<c>-n</c> no MIDI input driver, <c>-i</c> no interactive shell, <c>-F</c> fast render to file, <c>-T wav</c> file type).
/// FluidSynth writes 16-bit stereo WAV; the clip is downmixed to mono by averaging the channels
/// (<see cref="AudioClip.ToMono"/>). Reverb and chorus stay at FluidSynth's defaults.
/// The cache key includes the SoundFont's path, size and modification time, so replacing the SoundFont invalidates
/// cached renders. A missing program or SoundFont raises <see cref="ExternalToolException"/> naming it and the
/// Debian package that provides it.
/// </summary>
public sealed class FluidSynthRenderer : IMidiRenderer
{
    public FluidSynthOptions Options { get; }
    private readonly string _soundFontStamp;

    public FluidSynthRenderer(FluidSynthOptions? options = null)
    {
        Options = options ?? new FluidSynthOptions();
        Options.Validate();
        var sf = new FileInfo(Options.SoundFont);
        if (!sf.Exists)
            throw new ExternalToolException("fluidsynth",
                $"SoundFont not found: {Options.SoundFont} (install the Debian package fluid-soundfont-gm, or pass a .sf2 file with --soundfont)");
        _soundFontStamp = $"{sf.FullName}:{sf.Length}:{sf.LastWriteTimeUtc.Ticks}";
        EnsureExecutable(Options.Executable);
    }

    public string Name => "fluidsynth";
    public int SampleRate => Options.SampleRate;
    public string CacheKey => string.Create(CultureInfo.InvariantCulture,
        $"fluidsynth/sr={Options.SampleRate};g={Options.Gain:R};sf={_soundFontStamp};mono=mean");

    /// <summary>
    /// Checks that <paramref name="executable"/> can be started (runs <c>fluidsynth --version</c>); throws
    /// <see cref="ExternalToolException"/> otherwise.
    /// </summary>
    public static void EnsureExecutable(string executable = "fluidsynth")
    {
        try
        {
            var psi = new ProcessStartInfo(executable, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi) ?? throw new ExternalToolException("fluidsynth", $"could not start {executable}");
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            if (!p.WaitForExit(10_000)) { p.Kill(); throw new ExternalToolException("fluidsynth", $"{executable} --version did not finish within 10 s"); }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalToolException("fluidsynth",
                $"fluidsynth is not installed or not on PATH ('{executable}' could not be started: {e.Message}); install the Debian package fluidsynth or use --renderer builtin", e);
        }
    }

    /// <inheritdoc/>
    public AudioClip Render(MidiScore score, byte[]? midiBytes)
    {
        ArgumentNullException.ThrowIfNull(score);
        RenderLength.Check(score, score.Duration, Options.SampleRate);
        midiBytes ??= MidiWriter.ToBytes(score);
        var dir = Path.Combine(Path.GetTempPath(), "hfb-fluidsynth-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        try
        {
            var mid = Path.Combine(dir, "in.mid");
            var wav = Path.Combine(dir, "out.wav");
            File.WriteAllBytes(mid, midiBytes);
            var psi = new ProcessStartInfo(Options.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-ni", "-g", Options.Gain.ToString("R", CultureInfo.InvariantCulture), "-r", Options.SampleRate.ToString(CultureInfo.InvariantCulture),
                         "-T", "wav", "-F", wav, Options.SoundFont, mid })
                psi.ArgumentList.Add(a);
            Process p;
            try { p = Process.Start(psi) ?? throw new ExternalToolException("fluidsynth", $"could not start {Options.Executable}"); }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new ExternalToolException("fluidsynth", $"fluidsynth is not installed or not on PATH ({e.Message}); install the Debian package fluidsynth", e);
            }
            using (p)
            {
                var stderr = p.StandardError.ReadToEndAsync();
                var stdout = p.StandardOutput.ReadToEndAsync();
                if (!p.WaitForExit(TimeSpan.FromSeconds(Options.TimeoutSeconds)))
                {
                    p.Kill(entireProcessTree: true);
                    throw new ExternalToolException("fluidsynth", $"fluidsynth did not finish rendering {score.Source} within {Options.TimeoutSeconds} s");
                }
                if (p.ExitCode != 0 || !File.Exists(wav))
                    throw new ExternalToolException("fluidsynth",
                        $"fluidsynth failed on {score.Source} (exit code {p.ExitCode}): {(stderr.Result + stdout.Result).Trim()}");
            }
            var clip = WavReader.Read(wav);
            if (clip.SampleRate != Options.SampleRate)
                throw new ExternalToolException("fluidsynth", $"fluidsynth wrote {clip.SampleRate} Hz for {score.Source} but {Options.SampleRate} Hz was requested");
            return new AudioClip(clip.ToMono(), clip.SampleRate, score.Source);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { /* temp files are reclaimed by the OS */ }
        }
    }
}
