"""Everything that touches media files: probing, decoding, audio extraction, muxing, test videos."""

from v2m_core.media.audio import extract_audio, read_wav
from v2m_core.media.decode import VideoFrame, iter_frames
from v2m_core.media.mux import MuxMode, mux
from v2m_core.media.probe import probe

__all__ = ["MuxMode", "VideoFrame", "extract_audio", "iter_frames", "mux", "probe", "read_wav"]
