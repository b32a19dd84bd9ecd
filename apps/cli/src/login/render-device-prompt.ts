import type { Colors } from '../output/create-colors';

/**
 * What the person needs to approve a device login: the address, the code, and (on a
 * terminal) a QR code of the address with the code filled in, for a phone.
 */
export async function renderDevicePrompt({
  verificationUri,
  verificationUriComplete,
  userCode,
  showQrCode,
  colors,
}: {
  verificationUri: string;
  verificationUriComplete: string;
  userCode: string;
  showQrCode: boolean;
  colors: Colors;
}): Promise<string> {
  const lines = [
    'To sign in to Qwen, open this address in a browser:',
    '',
    `  ${colors.cyan(colors.underline(verificationUriComplete))}`,
    '',
    `and check that it shows this code: ${colors.bold(userCode)}`,
    `(or go to ${verificationUri} and enter the code yourself)`,
    '',
  ];
  if (showQrCode) {
    const { default: QRCode } = await import('qrcode');
    const qrCode = await QRCode.toString(verificationUriComplete, {
      type: 'terminal',
      small: true,
    });
    lines.push('Or scan this with your phone:', '', qrCode);
  }
  return `${lines.join('\n')}\n`;
}
