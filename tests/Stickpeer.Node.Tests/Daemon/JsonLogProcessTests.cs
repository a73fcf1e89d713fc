// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Text.Json;
using Stickpeer.Daemon.Cli;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary><c>--log-format json</c> in a real daemon process: every console line is one JSON object.</summary>
public sealed class JsonLogProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-jsonlog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task JsonLogFormat_StartedLine_IsOneJsonObjectWithItsValues()
    {
        var cfg = Path.Combine(_dir, "run.cfg");
        await File.WriteAllTextAsync(cfg, $"peers p\n  peer me 127.0.0.1:{FreePort.Get()}\n  table t type string size 10 store gpc0\n", TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(StickpeerCommand).Assembly.Location, "-f", cfg, "-L", "me", "--log-format", "json" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        try
        {
            JsonElement? started = null;
            var seen = new List<string>();
            for (var i = 0; i < 50 && started is null; i++)
            {
                var line = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
                if (line is null)
                {
                    break;
                }

                seen.Add(line);
                var json = JsonDocument.Parse(line).RootElement.Clone();
                if (json.GetProperty("EventId").GetInt32() == 5003)
                {
                    started = json;
                }
            }

            Assert.True(started is not null, "no 5003 line; output:\n" + string.Join('\n', seen));
            Assert.Equal("Information", started.Value.GetProperty("LogLevel").GetString());
            Assert.Equal("Stickpeer.Daemon", started.Value.GetProperty("Category").GetString());
            Assert.Equal("me", started.Value.GetProperty("State").GetProperty("LocalPeer").GetString());
            Assert.EndsWith("Z", started.Value.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }
}
