using Ccwb.Credentials.Config;
using Ccwb.Credentials.Flow;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.IdentityCenter;

/// <summary>How the SSO access token was obtained.</summary>
public enum SsoTokenOrigin { Cached, Refreshed, SignedIn }

/// <summary>
/// Obtains a valid SSO access token for a profile: the shared token cache, else a refresh-token redemption, else (only
/// where the user can see the prompt) device authorization. Renewals run under <see cref="IdcRefreshLock"/> and write
/// the cache atomically, so concurrent callers redeem a rotating refresh token once.
/// </summary>
public sealed class IdentityCenterSession(ProfileConfig config, SsoTokenCache cache, SsoOidcClient oidc, Diagnostics diagnostics,
    TimeProvider clock, Func<string, string?> environment)
{
    public async Task<(string AccessToken, SsoTokenOrigin Origin)> AccessTokenAsync(bool canPrompt, TimeSpan deadline, string launcher,
        CancellationToken cancellation = default)
    {
        var file = cache.Read();
        if (SsoTokenCache.HasValidAccessToken(file, clock.GetUtcNow())) return (file!.AccessToken!, SsoTokenOrigin.Cached);

        var (held, waited) = await IdcRefreshLock.AcquireAsync(IdcRefreshLock.PortFrom(environment), IdcRefreshLock.MaxWait, cancellation).ConfigureAwait(false);
        using var _ = held;
        // Read again under the lock: a holder before this one may have renewed the token (and rotated the refresh token
        // read above), and that is this caller's answer too.
        file = cache.Read();
        if (SsoTokenCache.HasValidAccessToken(file, clock.GetUtcNow())) return (file!.AccessToken!, SsoTokenOrigin.Refreshed);
        if (held is null && waited) diagnostics.Debug("The IAM Identity Center refresh lock stayed busy; renewing without it.");

        if (SsoTokenCache.IsRefreshable(file) && TryRefresh(file!) is { } refreshed) return (refreshed, SsoTokenOrigin.Refreshed);

        if (!canPrompt) throw new IdentityCenterException(SessionExpiredMessage(launcher));
        return (await DeviceAuthorizationAsync(file, deadline, cancellation).ConfigureAwait(false), SsoTokenOrigin.SignedIn);
    }

    /// <summary>
    /// Redeems the refresh token and writes the rotated one. Null when the service refused it for good (the sign-in
    /// has to start over); a failure to reach the service is thrown, keeping the cache as it is.
    /// </summary>
    private string? TryRefresh(SsoTokenFile file)
    {
        CreateTokenResponse token;
        try
        {
            token = oidc.CreateToken(new CreateTokenRequest
            {
                ClientId = file.ClientId!, ClientSecret = file.ClientSecret!, GrantType = "refresh_token", RefreshToken = file.RefreshToken,
            });
        }
        catch (IdentityCenterException e) when (e.ErrorCode is "InvalidGrantException" or "InvalidClientException" or "ExpiredTokenException"
                                                     or "UnauthorizedClientException")
        {
            diagnostics.Debug($"The SSO refresh token was refused ({e.ErrorCode}); a new sign-in is needed.");
            return null;
        }
        if (token.AccessToken is not { Length: > 0 } || token.ExpiresIn <= 0)
            throw new IdentityCenterException("CreateToken failed: the answer lacks an access token or its lifetime.");
        diagnostics.Debug("Refreshed the IAM Identity Center session.");
        cache.Write(file with
        {
            AccessToken = token.AccessToken,
            ExpiresAt = Rfc3339.Format(clock.GetUtcNow().AddSeconds(token.ExpiresIn)),
            // Refresh tokens rotate: the one just redeemed is no longer accepted.
            RefreshToken = token.RefreshToken is { Length: > 0 } rotated ? rotated : file.RefreshToken,
        });
        return token.AccessToken;
    }

    private async Task<string> DeviceAuthorizationAsync(SsoTokenFile? file, TimeSpan deadline, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        string clientId, clientSecret, registrationExpires;
        if (SsoTokenCache.HasValidRegistration(file, now))
        {
            (clientId, clientSecret, registrationExpires) = (file!.ClientId!, file.ClientSecret!, file.RegistrationExpiresAt!);
        }
        else
        {
            var registration = oidc.RegisterClient();
            if (registration is not { ClientId.Length: > 0, ClientSecret.Length: > 0 })
                throw new IdentityCenterException("RegisterClient failed: the answer lacks a client id or secret.");
            (clientId, clientSecret) = (registration.ClientId, registration.ClientSecret);
            registrationExpires = Rfc3339.Format(registration.ClientSecretExpiresAt > 0
                ? DateTimeOffset.FromUnixTimeSeconds(registration.ClientSecretExpiresAt)
                : now.AddDays(90));
        }

        var device = oidc.StartDeviceAuthorization(clientId, clientSecret, config.IdcStartUrl);
        if (device is not { DeviceCode.Length: > 0, UserCode.Length: > 0, VerificationUri.Length: > 0 })
            throw new IdentityCenterException("StartDeviceAuthorization failed: the answer lacks a device code, user code or verification URL.");
        // These URLs are opened in a browser (on Windows through rundll32, which opens any scheme, file: included):
        // https only, or http to this computer.
        foreach (var url in new[] { device.VerificationUri, device.VerificationUriComplete })
            if (url is { Length: > 0 } && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback))))
                throw new IdentityCenterException($"StartDeviceAuthorization failed: the verification URL '{SsoOidcClient.Printable(url)}' is not an https URL, so it was not opened.");
        var userCode = SsoOidcClient.Printable(device.UserCode);
        var complete = SsoOidcClient.Printable(device.VerificationUriComplete is { Length: > 0 } c ? c : device.VerificationUri);
        if (HeadlessSession.IsHeadless(environment))
        {
            diagnostics.Info("To sign in to IAM Identity Center, open this URL in a browser on any device:");
            diagnostics.Info("  " + SsoOidcClient.Printable(device.VerificationUri));
            diagnostics.Info($"and enter this code: {userCode}");
            diagnostics.Info("(or open the pre-filled link: " + complete + ")");
        }
        else
        {
            diagnostics.Info("Opening your browser to sign in to IAM Identity Center.");
            diagnostics.Info("  " + complete);
            diagnostics.Info($"and verify this code is shown: {userCode}");
            BrowserLauncher.TryOpen(complete, diagnostics.Info);
        }
        diagnostics.Info("Waiting for sign-in approval...");

        var interval = TimeSpan.FromSeconds(device.Interval > 0 ? device.Interval : 5);
        var giveUp = DateTime.UtcNow + deadline;
        while (true)
        {
            if (DateTime.UtcNow + interval > giveUp)
                throw new DeviceAuthorizationTimeoutException($"timed out waiting for browser approval: the code was not approved within {deadline.TotalSeconds:0} s.");
            await Task.Delay(interval, cancellation).ConfigureAwait(false);
            CreateTokenResponse token;
            try
            {
                token = oidc.CreateToken(new CreateTokenRequest
                {
                    ClientId = clientId, ClientSecret = clientSecret, GrantType = SsoOidcClient.DeviceCodeGrant, DeviceCode = device.DeviceCode,
                });
            }
            catch (IdentityCenterException e) when (e.ErrorCode == "AuthorizationPendingException")
            {
                continue;
            }
            catch (IdentityCenterException e) when (e.ErrorCode == "SlowDownException")
            {
                interval += TimeSpan.FromSeconds(5);
                continue;
            }
            catch (IdentityCenterException e) when (e.ErrorCode is not null)
            {
                throw new IdentityCenterException($"device authorization failed: {e.Message}" + e.ErrorCode switch
                {
                    "AccessDeniedException" => " The sign-in was denied in the browser.",
                    "ExpiredTokenException" => " The code expired before it was approved; sign in again for a fresh code.",
                    _ => "",
                }, e.ErrorCode, e);
            }
            if (token.AccessToken is not { Length: > 0 } || token.ExpiresIn <= 0)
                throw new IdentityCenterException("device authorization failed: CreateToken's answer lacks an access token or its lifetime.");
            cache.Write(new SsoTokenFile
            {
                StartUrl = config.IdcStartUrl,
                Region = config.IdcRegion,
                AccessToken = token.AccessToken,
                ExpiresAt = Rfc3339.Format(clock.GetUtcNow().AddSeconds(token.ExpiresIn)),
                ClientId = clientId,
                ClientSecret = clientSecret,
                RegistrationExpiresAt = registrationExpires,
                RefreshToken = token.RefreshToken is { Length: > 0 } ? token.RefreshToken : null,
            });
            return token.AccessToken;
        }
    }

    public static string SessionExpiredMessage(string launcher) =>
        "Your AWS sign-in session has expired. Renewing it requires a web browser, which cannot be opened from here (no " +
        $"terminal is attached). Exit Claude Code and run {launcher} in a terminal to sign in to IAM Identity Center again, " +
        "or run credential-process --login.";
}

/// <summary>
/// The device code was not approved before the deadline. An <see cref="IdentityCenterException"/>, so every command
/// reports it as the others (a normal run prints <c>Error: timed out waiting for browser approval: …</c>, exit 1);
/// <c>--login</c> catches it first for its own takeaway.
/// </summary>
public sealed class DeviceAuthorizationTimeoutException(string message) : IdentityCenterException(message);
