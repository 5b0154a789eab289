using System.Collections.Concurrent;
using System.Diagnostics;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.IO;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;

namespace HarmoniousFeedback.Data;

/// <summary>
/// Prepares a dataset folder: writes generated scores as <c>midi/&lt;id&gt;.mid</c>, renders every MIDI clip through a
/// <see cref="RenderCache"/> into <c>audio/&lt;id&gt;.wav</c>, copies audio clips (resampled to <see cref="PrepareOptions.SampleRate"/> when set), hashes everything and writes
/// <c>manifest.json</c> (<see cref="Manifest"/>). Clips run in parallel (<see cref="PrepareOptions.Threads"/>).
/// <para>
/// Incremental: a clip whose MIDI hash and render key match the previous manifest and whose audio file still has the
/// recorded SHA-256 is left alone; otherwise a cache hit copies the cached render (no rendering). A second run over
/// an unchanged folder renders nothing, rewrites nothing and reports <see cref="PrepareResult.UpToDate"/>.
/// </para>
/// </summary>
public static class DatasetPreparer
{
    public static PrepareResult Prepare(Dataset dataset, IMidiRenderer? renderer, PrepareOptions options,
                                        Action<PrepareProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options.Validate();
        var sw = Stopwatch.StartNew();
        var outDir = Path.GetFullPath(options.OutputDirectory);
        Directory.CreateDirectory(outDir);
        var cache = new RenderCache(options.CacheDirectory ?? Path.Combine(outDir, "cache", "render"), options.AudioEncoding);
        var parser = options.MidiParser ?? ((bytes, path) => MidiReader.Read(bytes, path));
        Manifest? previous = null;
        if (File.Exists(Path.Combine(outDir, Manifest.FileName)))
        {
            try { previous = Manifest.Read(outDir); }
            catch (DatasetException) { previous = null; } // unreadable/tampered: rebuild everything (content hashes decide)
        }
        var prevById = previous?.Clips.ToDictionary(c => c.Id, StringComparer.Ordinal) ?? new Dictionary<string, ManifestClip>();
        if (dataset.Clips.FirstOrDefault(c => c.AudioPath is null && c.MidiPath is null && !dataset.Scores.ContainsKey(c.Id)) is { } bad)
            throw new DatasetException($"dataset {dataset.Name}: clip {bad.Id} has neither audio nor MIDI");
        if (renderer is null && dataset.Clips.Any(c => c.AudioPath is null))
            throw new DatasetException($"dataset {dataset.Name} has MIDI clips but no renderer was given");

        var entries = new ManifestClip[dataset.Clips.Count];
        var counts = new ConcurrentDictionary<PrepareAction, int>();
        int done = 0;
        try
        {
            Parallel.For(0, dataset.Clips.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellation }, i =>
            {
                var clip = dataset.Clips[i];
                var (entry, action) = PrepareClip(dataset, clip, renderer, cache, parser, outDir, prevById.GetValueOrDefault(clip.Id), options.AudioEncoding, options.SampleRate);
                entries[i] = entry;
                counts.AddOrUpdate(action, 1, (_, n) => n + 1);
                progress?.Invoke(new PrepareProgress(Interlocked.Increment(ref done), dataset.Clips.Count, clip.Id, action));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is HarmoniousFeedbackException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        var renderInfo = renderer is null || dataset.Clips.All(c => c.AudioPath is not null) ? null
            : new ManifestRenderer { Name = renderer.Name, CacheKey = renderer.CacheKey, SampleRate = renderer.SampleRate };
        var manifest = Manifest.Create(dataset.Name, dataset.Source, renderInfo, dataset.ClassNames, entries);
        bool changed = previous is null || previous.ManifestHash != manifest.ManifestHash || previous.Source != manifest.Source
                       || !previous.Clips.Select(c => (c.Audio, c.Midi)).SequenceEqual(manifest.Clips.Select(c => (c.Audio, c.Midi)));
        if (changed) manifest.Write(outDir);
        return new PrepareResult(changed ? manifest : previous!, counts.ToDictionary(k => k.Key, k => k.Value), changed, sw.Elapsed);
    }

    private static (ManifestClip, PrepareAction) PrepareClip(Dataset ds, Clip clip, IMidiRenderer? renderer, RenderCache cache,
        Func<byte[], string, MidiScore> parser, string outDir, ManifestClip? prev, WavEncoding encoding, int? sampleRate)
    {
        string audioRel = Path.Combine("audio", clip.Id + ".wav");
        string audioPath = Path.Combine(outDir, audioRel);
        string? midiRel = null, midiSha = null, renderKey = null;
        PrepareAction action;
        string audioSha;

        string? sourceSha = null;
        if (clip.AudioPath is not null)
        {
            // WAV sources at the requested rate (or any rate when none is requested) are copied byte for byte; other
            // formats are decoded (AudioFile: ffmpeg) and written as WAV with their channel count; a clip at another
            // rate than the requested one is resampled.
            sourceSha = Sha256File(clip.AudioPath);
            if (prev?.SourceSha256 == sourceSha && File.Exists(audioPath) && Sha256File(audioPath) == prev.AudioSha256
                && (sampleRate is null || WavReader.ReadInfo(audioPath).SampleRate == sampleRate))
            {
                audioSha = prev.AudioSha256;
                action = PrepareAction.UpToDate;
            }
            else
            {
                bool nativeWav = AudioFile.IsWav(clip.AudioPath) && IsNativeWav(clip.AudioPath);
                if (nativeWav && (sampleRate is null || WavReader.ReadInfo(clip.AudioPath).SampleRate == sampleRate))
                {
                    AtomicFile.Copy(clip.AudioPath, audioPath);
                    action = PrepareAction.Copied;
                }
                else
                {
                    var audio = AudioFile.Read(clip.AudioPath); // ffmpeg for non-WAV; errors name the file
                    action = PrepareAction.Copied;
                    if (sampleRate is int rate && audio.SampleRate != rate)
                    {
                        audio = Resampler.Resample(audio, rate);
                        action = PrepareAction.Resampled;
                    }
                    WavWriter.Write(audioPath, audio, encoding); // atomic (IO.AtomicFile)
                }
                audioSha = Sha256File(audioPath);
            }
        }
        else
        {
            byte[] midi;
            string midiPath;
            ds.Scores.TryGetValue(clip.Id, out var score);
            if (score is not null)
            {
                midi = MidiWriter.ToBytes(score);
                midiRel = Path.Combine("midi", clip.Id + ".mid");
                midiPath = Path.Combine(outDir, midiRel);
                if (!File.Exists(midiPath) || Sha256File(midiPath) != RenderCache.Sha256Hex(midi))
                    AtomicFile.WriteAllBytes(midiPath, midi);
            }
            else
            {
                midiPath = clip.MidiPath!;
                try { midi = File.ReadAllBytes(midiPath); }
                catch (IOException e) { throw new DatasetException($"clip {clip.Id}: cannot read MIDI file {midiPath}: {e.Message}", e); }
                midiRel = Path.GetFullPath(midiPath);
            }
            midiSha = RenderCache.Sha256Hex(midi);
            renderKey = RenderCache.Key(midiSha, renderer!);
            if (prev is not null && prev.RenderKey == renderKey && prev.MidiSha256 == midiSha && File.Exists(audioPath) && Sha256File(audioPath) == prev.AudioSha256)
            {
                audioSha = prev.AudioSha256;
                action = PrepareAction.UpToDate;
            }
            else
            {
                var cached = cache.GetOrRender(renderer!, midi, () => score ?? parser(midi, midiPath), out bool rendered);
                AtomicFile.Copy(cached, audioPath);
                audioSha = Sha256File(audioPath);
                action = rendered ? PrepareAction.Rendered : PrepareAction.FromCache;
            }
        }
        var entry = new ManifestClip
        {
            Id = clip.Id,
            Label = clip.Label,
            Group = clip.GroupId,
            Split = Manifest.SplitName(clip.Split),
            Valence = clip.Valence,
            Arousal = clip.Arousal,
            Text = clip.Text,
            Audio = audioRel.Replace('\\', '/'),
            Midi = midiRel?.Replace('\\', '/'),
            MidiSha256 = midiSha,
            SourceSha256 = sourceSha,
            AudioSha256 = audioSha,
            RenderKey = renderKey,
        };
        return (entry, action);
    }

    /// <summary>True when <see cref="WavReader"/> decodes the file itself (else it needs ffmpeg, e.g. µ-law WAV).</summary>
    private static bool IsNativeWav(string path)
    {
        try
        {
            WavReader.Read(File.ReadAllBytes(path), path);
            return true;
        }
        catch (AudioFormatException) { return false; }
    }

    internal static string Sha256File(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f));
    }
}
