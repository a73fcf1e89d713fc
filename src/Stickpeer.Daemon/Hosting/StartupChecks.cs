// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Transport.Sockets;

namespace Stickpeer.Daemon.Hosting;

/// <summary>
/// Everything that can make start-up fail, checked before any socket is opened or any peer contacted:
/// stats socket paths, certificates and (for <c>-c</c>) listener addresses. Each problem names its
/// object (path, address, <c>file:line</c>) and its cause.
/// </summary>
public static class StartupChecks
{
    /// <summary>
    /// Runs the checks; <paramref name="probeAddresses"/> also test-binds every TCP listener (for <c>-c</c>).
    /// <paramref name="replacing"/> (a reload, <c>-sf</c>): a live stats socket is the old process's, taken
    /// over once it lets go.
    /// </summary>
    public static StartupCheckResult Run(StickpeerConfiguration configuration, bool probeAddresses, bool replacing = false)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var notes = new List<string>();
        foreach (var socket in configuration.StatsSockets)
        {
            if (socket.Path is { } path)
            {
                var state = UnixSocketProbe.Probe(path);
                if (replacing && state == UnixSocketState.Live)
                {
                    notes.Add($"stats socket '{path}' ({socket.Location}) is live: taken over when the process being replaced (-sf) lets go of it");
                }
                else if (UnixSocketProbe.Problem(socket, state) is { } problem)
                {
                    errors.Add(problem);
                }
                else if (state == UnixSocketState.Stale)
                {
                    notes.Add($"stats socket '{path}' ({socket.Location}): stale socket file (nothing answers on it); it will be replaced, as HAProxy does");
                }
            }
            else if (probeAddresses)
            {
                CheckAddress(errors, $"stats socket ({socket.Location})", socket.Endpoint!);
            }
        }

        foreach (var section in configuration.PeersSections)
        {
            var listener = section.Listener;
            CheckTls(errors, listener.Location, listener.Tls);
            foreach (var peer in section.RemotePeers)
            {
                CheckTls(errors, peer.Location, peer.Tls);
            }

            if (probeAddresses)
            {
                CheckAddress(errors, $"peers section '{section.Name}' ({listener.Location})", listener.Address);
            }
        }

        return new StartupCheckResult(errors, notes);
    }

    private static void CheckAddress(List<string> errors, string what, ConfigEndpoint address)
    {
        IPAddress ip;
        if (address.IsAny)
        {
            ip = IPAddress.Any;
        }
        else if (!IPAddress.TryParse(address.Host, out ip!))
        {
            // Host names are resolved at start; the probe only covers literal addresses.
            return;
        }

        if (!ExclusiveListener.IsFree(new IPEndPoint(ip, address.Port), out var holder))
        {
            errors.Add($"{what}: cannot listen on {address}: address already in use{(holder is null ? string.Empty : " by " + holder)}");
        }
    }

    private static void CheckTls(List<string> errors, ConfigLocation location, TlsSettings tls)
    {
        if (!tls.Enabled)
        {
            return;
        }

        if (tls.CertificateFile is { } crt)
        {
            try
            {
                using var certificate = X509Certificate2.CreateFromPemFile(crt);
                if (!certificate.HasPrivateKey)
                {
                    errors.Add($"'crt' file '{crt}' ({location}): no private key in the file");
                }
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                errors.Add($"'crt' file '{crt}' ({location}): cannot load the certificate and key: {ex.Message}");
            }
        }

        if (tls.CaFile is { } ca)
        {
            try
            {
                var trusted = new X509Certificate2Collection();
                trusted.ImportFromPemFile(ca);
                if (trusted.Count == 0)
                {
                    errors.Add($"'ca-file' file '{ca}' ({location}): no certificate in the file");
                }

                foreach (var c in trusted)
                {
                    c.Dispose();
                }
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                errors.Add($"'ca-file' file '{ca}' ({location}): cannot load: {ex.Message}");
            }
        }
    }
}
