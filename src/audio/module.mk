# audio: the analyser (src/audio/mir.c and friends) transforms with fftw3 in single precision.
PKGS += fftw3f
