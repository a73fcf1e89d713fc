// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Stickpeer.TestKit.Tls;

/// <summary>
/// Generates throw-away certificates for TLS tests: a CA and leaf certificates signed by
/// it (ECDSA P-256, serverAuth + clientAuth, SAN 127.0.0.1 and localhost), plus expired
/// and wrong-CA variants. Nothing touches a certificate store.
/// </summary>
public static class TestCertificates
{
    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Creates a self-signed CA valid from one day ago for 30 days.</summary>
    public static TestCertificate CreateAuthority(string commonName = "Stickpeer Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var cert = request.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
        return new TestCertificate(cert, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Issues a leaf certificate for <paramref name="commonName"/> signed by <paramref name="authority"/>.</summary>
    /// <param name="authority">The issuing CA (with its private key).</param>
    /// <param name="commonName">Subject CN (typically the peer name).</param>
    /// <param name="notBefore">Start of validity; default one day ago.</param>
    /// <param name="notAfter">End of validity; default 30 days from now (must lie within the CA's).</param>
    public static TestCertificate IssueLeaf(TestCertificate authority, string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([s_serverAuth, s_clientAuth], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName(commonName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, true, false));

        var now = DateTimeOffset.UtcNow;
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var issued = request.Create(authority.Certificate, notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(29), serial);
        var withKey = issued.CopyWithPrivateKey(key);
        return new TestCertificate(withKey, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Issues a leaf that expired yesterday (valid from 10 days ago to 1 day ago).</summary>
    public static TestCertificate IssueExpiredLeaf(TestCertificate authority, string commonName)
    {
        var now = DateTimeOffset.UtcNow;
        return IssueLeaf(authority, commonName, now.AddDays(-10), now.AddDays(-1));
    }

    /// <summary>Creates a CA plus one leaf per node name, an expired leaf and a leaf from another CA.</summary>
    public static TestCertificateSet CreateSet(params string[] nodeNames)
    {
        ArgumentNullException.ThrowIfNull(nodeNames);
        var ca = CreateAuthority();
        var leaves = nodeNames.ToDictionary(n => n, n => IssueLeaf(ca, n), StringComparer.Ordinal);
        var expired = IssueExpiredLeaf(ca, "expired");
        var otherCa = CreateAuthority("Stickpeer Other CA");
        var wrong = IssueLeaf(otherCa, "wrong-ca");
        return new TestCertificateSet(ca, leaves, expired, otherCa, wrong);
    }
}
