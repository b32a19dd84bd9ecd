/** 200 text/html page Alibaba's WAF answers with (slider CAPTCHA), docs/qwen-upstream.md §1.4 and §3.2. */
export const WAF_CHALLENGE_HTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Verification</title></head>
<body><div id="nocaptcha" class="nc-container">Please slide to verify</div>
<script>window._config_ = { action: "captcha", url: "/_____tmd_____/punish" };</script>
</body></html>
`;

/** HTML the device-code endpoint returns after the 2026-04-15 shutdown (docs/qwen-upstream.md §5). */
export const SHUTDOWN_HTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Qwen</title></head>
<body><h1>Qwen OAuth free tier has been discontinued.</h1></body></html>
`;
