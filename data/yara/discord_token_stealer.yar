rule discord_token_stealer
{
  meta:
    description = "reads Discord's token store and looks for tokens (token stealer shape)"
    severity = "critical"
    attack = "T1528"
  strings:
    $store1 = "Local Storage" nocase
    $store2 = "leveldb" nocase
    $client = /discord(canary|ptb)?['"\\\/]/ nocase
    $re1 = "[\\w-]{24}\\.[\\w-]{6}\\.[\\w-]{27}"
    $re2 = "mfa\\.[\\w-]{84}"
    $enc = "dQw4w9WgXcQ:"
  condition:
    $store1 and $store2 and $client and any of ($re*, $enc)
}
