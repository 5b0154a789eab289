using HarmoniousFeedback.Data;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class ZenodoRecordTests
{
    [Fact]
    public void Record_json_yields_the_zip_url_and_md5()
    {
        // Shape of https://zenodo.org/api/records/5090631 (files[].key, checksum "md5:…", links.self).
        const string json = """
        {"id": 5090631, "files": [
          {"key": "README.md", "checksum": "md5:00", "links": {"self": "https://zenodo.org/api/records/5090631/files/README.md/content"}},
          {"key": "EMOPIA_1.0.zip", "checksum": "md5:ABCDEF0123", "links": {"self": "https://zenodo.org/api/records/5090631/files/EMOPIA_1.0.zip/content"}}]}
        """;
        var (url, md5, key) = EmopiaArchive.PickZip(json, "record");
        Assert.Equal("https://zenodo.org/api/records/5090631/files/EMOPIA_1.0.zip/content", url);
        Assert.Equal("abcdef0123", md5);
        Assert.Equal("EMOPIA_1.0.zip", key);
        Assert.Throws<DatasetException>(() => EmopiaArchive.PickZip("""{"files": []}""", "record"));
        Assert.Throws<DatasetException>(() => EmopiaArchive.PickZip("not json", "record"));
    }
}
