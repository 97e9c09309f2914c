"""Shared helpers for the deep-learning course book.

Modules (import what you need; importing this package has no side effects):

- ``helpers.seed``      set_seed(seed) -> numpy Generator; derive_seed, numpy_rng,
                        torch_generator, reseed; BOOK_SEED_OFFSET shifts them all
- ``helpers.device``    torch_device(): a CUDA GPU when there is one (BOOK_DEVICE overrides),
                        TF32 off so that float32 checks hold on a GPU
- ``helpers.data``      generators with a known answer, the shipped digits, MNIST with fallback
- ``helpers.plotting``  the book style, loss curves, decision boundaries, image grids
- ``helpers.widgets``   learning-rate explorers: live in a kernel, precomputed in the HTML book
- ``helpers.checks``    exercise checkers that say what is wrong with an answer
- ``helpers.glue``      glue(name, value): a run's number, cited in the prose
- ``helpers.training``  the training loops chapter 04_practice/training_workflow teaches:
                        train_one_epoch, evaluate, fit, fit_keras, History (and the
                        knobs of reproducibility_and_production: schedule, clipping, AMP)
- ``helpers.scratch``   the NumPy activations, stable losses and gradient descent of part 2
- ``helpers.metrics``   accuracy and confusion_matrix
- ``helpers.mlp_training`` the digits MLP and mini-batch trainer of 04_practice/regularisation:
                        make_mlp, new_mlp, evaluate, check_fit_args, fit (data, seed and
                        augmentation as arguments)
- ``helpers.augment``   shift_images: one-pixel shifts for data augmentation
- ``helpers.cnn``       the small CNN of chapter cnn in Keras and PyTorch, and its training
                        loop: small_cnn_keras, small_cnn_torch, to_torch, fit_cosine
- ``helpers.porting``   torch_to_keras_weights: a trained PyTorch CNN's weights in Keras's
                        layouts (speech, driving, interpretability)
- ``helpers.conv``      convolution and pooling in NumPy, forward and backward, with argument
                        checks (chapters convolution, pooling_and_backward)
- ``helpers.frameworks`` the digits MLP of 06_tools/frameworks in PyTorch and Keras:
                        build_torch, fit_torch, build_keras, fit_keras
- ``helpers.gan``       the GAN on a ring of eight Gaussians: sample_ring, coverage, matched, mlp,
                        gan_step (k D steps, one G step), train_ring, sample_g (gan)
- ``helpers.recurrent`` the RNN, LSTM and GRU cells: uniform, rnn_step, run_cell, init_gates,
                        affine, lstm_step, gru_step (rnn_cells)
- ``helpers.normalisation`` normalise, layernorm (normalisation)
- ``helpers.attention`` attention, multi-head attention, the pre-norm transformer block
                        in NumPy, Keras's MHA weight layout (attention)
- ``helpers.language_model`` the character language model of rnn_language_model: the
                        split, encoding, windows, n-gram baselines, the LSTM, its loss
                        and training, temperature and top-k sampling, generation
- ``helpers.attribution`` the digits CNN of 07_future/interpretability and its gradient
                        attributions: digits_cnn, train_digits_cnn, class_logit, gradient, saliency,
                        grad_x_input, integrated_gradients, show_maps
- ``helpers.diagrams``  schematic figures drawn from code: a neuron, an MLP, a computational
                        graph, convolution windows, pooling, receptive fields, RNN/LSTM/GRU
                        cells, the GAN loop, data-parallel training, attention and the
                        transformer block, a residual block
"""

__all__ = [
    "attention",
    "attribution",
    "augment",
    "checks",
    "cnn",
    "conv",
    "data",
    "device",
    "diagrams",
    "frameworks",
    "gan",
    "glue",
    "language_model",
    "metrics",
    "mlp_training",
    "normalisation",
    "plotting",
    "porting",
    "recurrent",
    "scratch",
    "seed",
    "training",
    "widgets",
]
