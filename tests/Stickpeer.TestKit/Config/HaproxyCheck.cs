// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using Stickpeer.TestKit.Haproxy;

namespace Stickpeer.TestKit.Config;

/// <summary>Runs <c>haproxy -c -f &lt;file&gt;</c>, the reference for which configurations HAProxy rejects.</summary>
public static class HaproxyCheck
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string configPath, CancellationToken cancellationToken = default)
    {
        var exe = HaproxyAvailability.ExecutablePath ?? throw new InvalidOperationException(HaproxyAvailability.SkipReason);
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add(configPath);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
