# audio: decoding with libsndfile, loudness with libebur128, resampling with libsoxr, the
# analyser (src/audio/mir.c and friends) on fftw3 in single precision; content ids hashed
# with libsodium.
PKGS += fftw3f sndfile libebur128 soxr libsodium
