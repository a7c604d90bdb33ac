//! The capacity Go 1.23's `append` picks when a slice must grow, on a 64-bit
//! machine: `nextslicecap` and `roundupsize` from the Go runtime
//! (`runtime/slice.go`, `runtime/msize.go`, `runtime/sizeclasses.go`),
//! rewritten in Rust.

/// Below this capacity `append` doubles; above, it grows by a factor that
/// shrinks toward 1.25.
const THRESHOLD: usize = 256;

/// Objects up to this size come from a size class; larger ones take whole pages.
const MAX_SMALL_SIZE: usize = 32 << 10;
/// The malloc header that objects with pointers above 512 bytes carry.
const MALLOC_HEADER_SIZE: usize = 8;
/// `goarch.PtrSize * ptrBits`: smaller objects with pointers keep their pointer
/// bitmap in the span and need no header.
const MIN_SIZE_FOR_MALLOC_HEADER: usize = 8 * 64;
const PAGE_SIZE: usize = 8 << 10;

/// `class_to_size` from Go 1.23's `runtime/sizeclasses.go`: the byte size of
/// each of the 68 small-object size classes (class 0 is unused).
pub const CLASS_TO_SIZE: [u16; 68] = [
    0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320,
    352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
    2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
    10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672,
    32768,
];

/// `nextslicecap(newLen, oldCap)`: the capacity, in elements, before rounding.
/// Doubles the old capacity (or takes `new_len` if that is not enough); from
/// 256 on, adds `(newcap + 3*256) / 4` until `new_len` fits.
pub fn nextslicecap(new_len: usize, old_cap: usize) -> usize {
    let mut new_cap = old_cap;
    let double_cap = new_cap + new_cap;
    if new_len > double_cap {
        return new_len;
    }
    if old_cap < THRESHOLD {
        return double_cap;
    }
    loop {
        new_cap += (new_cap + 3 * THRESHOLD) >> 2;
        if new_cap >= new_len {
            return new_cap;
        }
    }
}

/// `roundupsize(size, noscan)`: the usable size of the block `mallocgc`
/// returns for a request of `size` bytes. `noscan` means the type has no
/// pointers.
pub fn roundupsize(size: usize, noscan: bool) -> usize {
    if size <= MAX_SMALL_SIZE - MALLOC_HEADER_SIZE {
        let mut req = size;
        if !noscan && req > MIN_SIZE_FOR_MALLOC_HEADER {
            req += MALLOC_HEADER_SIZE;
        }
        // Go looks the class up in two tables indexed by size/8 and
        // (size-1024)/128; both give the smallest class at least `req` bytes.
        let class = CLASS_TO_SIZE
            .iter()
            .map(|&c| usize::from(c))
            .find(|&c| c >= req)
            .expect("req is at most 32768, the largest class");
        return class - (req - size);
    }
    size.div_ceil(PAGE_SIZE) * PAGE_SIZE
}

/// The capacity `append` gives a slice of `elem_size`-byte elements that must
/// hold `new_len` elements and has `old_cap`: `growslice`'s computation.
pub fn grow_cap(new_len: usize, old_cap: usize, elem_size: usize, pointers: bool) -> usize {
    if elem_size == 0 {
        return new_len;
    }
    let new_cap = nextslicecap(new_len, old_cap);
    roundupsize(new_cap * elem_size, !pointers) / elem_size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sizes_round_up_to_a_class() {
        assert_eq!(roundupsize(40, true), 48);
        assert_eq!(roundupsize(6656, true), 6784);
        assert_eq!(roundupsize(1024, true), 1024);
        assert_eq!(roundupsize(1025, true), 1152);
    }

    #[test]
    fn types_with_pointers_above_512_bytes_pay_a_header() {
        // 64 strings: 1024 bytes + 8 of header -> class 1152, minus the header.
        assert_eq!(roundupsize(1024, false), 1144);
        assert_eq!(roundupsize(512, false), 512);
    }

    #[test]
    fn large_sizes_round_up_to_pages() {
        assert_eq!(roundupsize(32761, true), 32768);
        assert_eq!(roundupsize(32769, true), 40960);
        assert_eq!(roundupsize(40960, true), 40960);
    }

    #[test]
    fn int_growth_matches_go_1_23() {
        assert_eq!(grow_cap(4, 3, 8, false), 6);
        assert_eq!(grow_cap(513, 512, 8, false), 848);
        assert_eq!(grow_cap(849, 848, 8, false), 1280);
    }
}
