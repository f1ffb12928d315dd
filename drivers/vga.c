/*
 * drivers/vga.c - the VGA text console: 80x25 cells at physical 0xB8000.
 *
 * Owns: the text buffer and the hardware cursor (CRT controller registers
 * 0x0E/0x0F through ports 0x3D4/0x3D5; IBM VGA Technical Reference, "CRT
 * Controller Registers").
 * Interface: vga_init() once, vga_putc() anywhere; it scrolls at the bottom.
 * Each cell is a character byte and an attribute byte (light grey on black).
 */
#include <console.h>
#include <mm.h>
#include <string.h>
#include <x86.h>

#define VGA_ATTR	0x07	/* light grey on black */
#define CRTC_INDEX	0x3D4
#define CRTC_DATA	0x3D5
#define CRTC_CURSOR_HI	0x0E
#define CRTC_CURSOR_LO	0x0F

static uint16_t *cells;
static unsigned int row, col;

static uint16_t blank(void)
{
	return (uint16_t)(VGA_ATTR << 8 | ' ');
}

static void move_cursor(void)
{
	uint16_t pos = (uint16_t)(row * VGA_COLS + col);

	outb(CRTC_INDEX, CRTC_CURSOR_HI);
	outb(CRTC_DATA, pos >> 8);
	outb(CRTC_INDEX, CRTC_CURSOR_LO);
	outb(CRTC_DATA, pos & 0xFF);
}

void vga_init(void)
{
	cells = phys_to_kva(VGA_TEXT_PA);
	for (unsigned int i = 0; i < VGA_COLS * VGA_ROWS; i++)
		cells[i] = blank();
	row = col = 0;
	move_cursor();
}

static void scroll(void)
{
	memmove(cells, cells + VGA_COLS, (VGA_ROWS - 1) * VGA_COLS * sizeof(*cells));
	for (unsigned int i = 0; i < VGA_COLS; i++)
		cells[(VGA_ROWS - 1) * VGA_COLS + i] = blank();
	row = VGA_ROWS - 1;
}

void vga_putc(char c)
{
	if (!cells)
		return;
	switch (c) {
	case '\n': col = 0; row++; break;
	case '\r': col = 0; break;
	case '\b': if (col) col--; break;
	case '\t': col = (col + 8) & ~7u; break;
	default:
		cells[row * VGA_COLS + col] = (uint16_t)(VGA_ATTR << 8 | (uint8_t)c);
		col++;
	}
	if (col >= VGA_COLS) {
		col = 0;
		row++;
	}
	if (row >= VGA_ROWS)
		scroll();
	move_cursor();
}
