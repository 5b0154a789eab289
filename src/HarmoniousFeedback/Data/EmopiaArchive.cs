using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Data;

/// <summary>
/// Obtains EMOPIA 1.0 (Zenodo record 5090631, CC BY-NC-SA 4.0) in the layout <see cref="EmopiaDataset"/> reads.
/// <see cref="Download"/> asks the Zenodo REST API (<c>GET https://zenodo.org/api/records/5090631</c>) for the record's
/// files, picks the <c>.zip</c>, downloads it and checks its MD5 against the record's <c>checksum</c> ("md5:…");
/// <see cref="Install"/> checks an archive's structure (<c>label.csv</c>, <c>split/{train,val,test}_clip.csv</c>,
/// <c>midis/*.mid</c>, under one top-level folder or none), extracts it into a temporary sibling folder, verifies it
/// loads, and renames it into place. The environment variable <c>HFB_ZENODO_RECORD_URL</c> overrides the record URL
/// (mirrors, tests).
/// </summary>
public static class EmopiaArchive
{
    public const string RecordUrl = "https://zenodo.org/api/records/5090631";

    /// <summary>The record URL in effect (<c>HFB_ZENODO_RECORD_URL</c> or <see cref="RecordUrl"/>).</summary>
    public static string EffectiveRecordUrl => Environment.GetEnvironmentVariable("HFB_ZENODO_RECORD_URL") is { Length: > 0 } u ? u : RecordUrl;

    /// <summary>
    /// Downloads the archive into <paramref name="downloadDirectory"/> and returns its path (an existing file with the right
    /// MD5 is reused). <paramref name="progress"/> receives (bytes so far, total bytes or null).
    /// </summary>
    public static string Download(string downloadDirectory, Action<long, long?>? progress = null, CancellationToken cancellation = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("HarmoniousFeedback/1.0 (+research toolkit)");
        string url = EffectiveRecordUrl;
        string fileUrl, md5, key;
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            cts.CancelAfter(TimeSpan.FromSeconds(30));
            var json = http.GetStringAsync(url, cts.Token).GetAwaiter().GetResult();
            (fileUrl, md5, key) = PickZip(json, url);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            throw Unreachable(url, e);
        }
        Directory.CreateDirectory(downloadDirectory);
        var target = Path.Combine(downloadDirectory, key);
        if (File.Exists(target) && Md5(target) == md5) return target;
        try
        {
            using var resp = http.GetAsync(fileUrl, HttpCompletionOption.ResponseHeadersRead, cancellation).GetAwaiter().GetResult();
            resp.EnsureSuccessStatusCode();
            long? total = resp.Content.Headers.ContentLength;
            using var src = resp.Content.ReadAsStream(cancellation);
            // Streamed into the atomic writer: a failed or corrupt download (MD5 mismatch throws inside) leaves no file.
            AtomicFile.Write(target, dst =>
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                var buffer = new byte[1 << 16];
                long done = 0;
                int n;
                while ((n = src.Read(buffer)) > 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                    dst.Write(buffer, 0, n);
                    hash.AppendData(buffer, 0, n);
                    done += n;
                    progress?.Invoke(done, total);
                }
                var got = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (got != md5)
                    throw new DatasetException($"downloaded {key} from {fileUrl} has MD5 {got} but Zenodo lists {md5}; the download is corrupt, try again");
            });
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            throw Unreachable(fileUrl, e);
        }
        return target;
    }

    private static DatasetException Unreachable(string url, Exception e) => new(
        $"cannot download EMOPIA from {url} ({e.Message}); without internet access download EMOPIA_1.0.zip from https://zenodo.org/records/5090631 elsewhere and run `hfb data fetch emopia --archive <zip>`", e);

    /// <summary>The .zip of a Zenodo record JSON: (download URL, md5 hex, file name).</summary>
    public static (string Url, string Md5, string Key) PickZip(string recordJson, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(recordJson);
            if (!doc.RootElement.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
                throw new DatasetException($"{source}: the record has no 'files' list");
            foreach (var f in files.EnumerateArray())
            {
                var key = f.GetProperty("key").GetString() ?? "";
                if (!key.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) continue;
                var checksum = f.GetProperty("checksum").GetString() ?? "";
                if (!checksum.StartsWith("md5:", StringComparison.Ordinal)) throw new DatasetException($"{source}: file {key} has checksum '{checksum}', expected 'md5:…'");
                var link = f.GetProperty("links").GetProperty("self").GetString() ?? throw new DatasetException($"{source}: file {key} has no download link");
                return (link, checksum[4..].ToLowerInvariant(), Path.GetFileName(key));
            }
            throw new DatasetException($"{source}: the record lists no .zip file");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DatasetException($"{source}: unexpected Zenodo record format ({e.Message})", e);
        }
    }

    /// <summary>Lower-case hex MD5 of a file (Zenodo's checksum).</summary>
    public static string Md5(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(f));
    }

    /// <summary>
    /// Installs <paramref name="zipPath"/> as <paramref name="outDirectory"/> and returns the loaded dataset. When
    /// <paramref name="outDirectory"/> already holds a loadable EMOPIA it is kept and <paramref name="installed"/> is false.
    /// </summary>
    public static Dataset Install(string zipPath, string outDirectory, out bool installed)
    {
        if (File.Exists(Path.Combine(outDirectory, "label.csv")))
        {
            installed = false;
            return EmopiaDataset.Load(outDirectory);
        }
        if (!File.Exists(zipPath)) throw new DatasetException($"EMOPIA archive not found: {zipPath}");
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(zipPath); }
        catch (InvalidDataException e) { throw new DatasetException($"{zipPath}: not a zip archive ({e.Message})", e); }
        using (zip)
        {
            var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToArray();
            var label = names.Where(n => n.EndsWith("label.csv", StringComparison.Ordinal) && n.Count(c => c == '/') <= 1)
                             .OrderBy(n => n.Length).FirstOrDefault()
                        ?? throw new DatasetException($"{zipPath}: not an EMOPIA archive: no label.csv at the top level or in one top-level folder");
            string prefix = label[..^"label.csv".Length];
            var missing = new List<string>();
            foreach (var s in new[] { "split/train_clip.csv", "split/val_clip.csv", "split/test_clip.csv" })
                if (!names.Contains(prefix + s)) missing.Add(prefix + s);
            if (!names.Any(n => n.StartsWith(prefix + "midis/", StringComparison.Ordinal) && n.EndsWith(".mid", StringComparison.OrdinalIgnoreCase)))
                missing.Add(prefix + "midis/*.mid");
            if (missing.Count > 0) throw new DatasetException($"{zipPath}: not an EMOPIA archive: missing {string.Join(", ", missing)}");

            var full = Path.GetFullPath(outDirectory);
            // Extracted into a temporary sibling folder (AtomicFile's naming) that is renamed into place as a whole and
            // removed on any failure, so an interrupted install never leaves a half-extracted dataset under the real name.
            var tmp = AtomicFile.TempPathFor(full.TrimEnd(Path.DirectorySeparatorChar));
            try
            {
                Directory.CreateDirectory(tmp);
                var tmpRoot = Path.GetFullPath(tmp) + Path.DirectorySeparatorChar;
                foreach (var e in zip.Entries)
                {
                    var name = e.FullName.Replace('\\', '/');
                    if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.EndsWith('/')) continue;
                    var rel = name[prefix.Length..];
                    if (rel.StartsWith("__MACOSX", StringComparison.Ordinal)) continue;
                    var dest = Path.GetFullPath(Path.Combine(tmp, rel));
                    if (!dest.StartsWith(tmpRoot, StringComparison.Ordinal)) throw new DatasetException($"{zipPath}: entry '{name}' points outside the target folder");
                    Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
                    e.ExtractToFile(dest, overwrite: true);
                }
                try { EmopiaDataset.Load(tmp); }
                catch (DatasetException ex)
                {
                    throw new DatasetException($"{zipPath}: the extracted archive does not load: {ex.Message}", ex);
                }
                if (Directory.Exists(full) && !Directory.EnumerateFileSystemEntries(full).Any()) Directory.Delete(full);
                if (Directory.Exists(full))
                    throw new DatasetException($"{full} exists and is not an EMOPIA folder (no label.csv); choose another --out or empty it");
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                Directory.Move(tmp, full);
            }
            catch
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
                throw;
            }
            installed = true;
            return EmopiaDataset.Load(full);
        }
    }
}
