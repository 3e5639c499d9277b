import { BLOB_CHANNEL, type BlobChannelMessage } from '../../lib/blob-channel';

const channel = new BroadcastChannel(BLOB_CHANNEL);
channel.onmessage = ({ data }: MessageEvent<BlobChannelMessage>) => {
  if (data.type === 'mint') {
    const url = URL.createObjectURL(new Blob([data.text], { type: data.mime }));
    channel.postMessage({ type: 'minted', id: data.id, url } satisfies BlobChannelMessage);
  } else if (data.type === 'revoke') {
    URL.revokeObjectURL(data.url);
  }
};
