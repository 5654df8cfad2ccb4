rule powershell_encoded_command
{
  meta:
    description = "starts PowerShell with a base64-encoded command (hidden dropper shape)"
    severity = "high"
    attack = "T1059.001"
  strings:
    $ps = "powershell" nocase
    $enc = /\s-(e|ec|enc|encodedcommand)\s+[A-Za-z0-9+\/]{40,}={0,2}/ nocase
  condition:
    $ps and $enc
}
